/**
 * The live failover demo behind {@code ./demo.sh}: a real broker, real sample-app processes,
 * a crash, a restart, a graceful switchover and a ledger check, with measured times.
 */
package dev.failover.demo;
