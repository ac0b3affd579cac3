/**
 * Support for tests: an in-memory log ({@link dev.failover.core.testing.InMemoryLog}) with
 * the faults Kafka can produce (partitions, lost writes, compaction, replacement) and a
 * virtual clock ({@link dev.failover.core.testing.VirtualClock}) that runs a whole group
 * under simulated time.
 * <p>
 * Public API for tests; never used by a watcher in production.
 */
package dev.failover.core.testing;
