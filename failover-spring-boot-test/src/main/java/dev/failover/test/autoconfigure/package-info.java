/**
 * {@link dev.failover.test.autoconfigure.AutoConfigureFailover} and the test
 * auto-configuration it imports: failover on an in-memory log instead of Kafka. Public API:
 * the annotation.
 */
package dev.failover.test.autoconfigure;
