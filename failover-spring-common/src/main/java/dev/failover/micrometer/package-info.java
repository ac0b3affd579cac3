/**
 * Micrometer support: the {@code failover.*} meters of one watcher. Public API.
 */
package dev.failover.micrometer;
