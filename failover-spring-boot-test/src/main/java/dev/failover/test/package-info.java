/**
 * Test support for applications: {@link dev.failover.test.FailoverTestSupport} drives this
 * instance's role through the real protocol on an in-memory log. Public API.
 */
package dev.failover.test;
