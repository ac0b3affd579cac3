/**
 * A process-level harness for the sample application: real Kafka broker, real sample-app
 * JVMs, real network cuts, and the checks that tell whether failover held.
 * <p>
 * {@link dev.failover.cluster.SampleCluster} starts one broker and N
 * {@link dev.failover.cluster.SampleInstance}s, each reaching the broker through its
 * own proxy so that one instance can be cut off alone. Instances are observed through their
 * Actuator endpoint ({@link dev.failover.cluster.InstanceStatus}); role changes are
 * timed with a fast poller ({@link dev.failover.cluster.PromotionWatch}); the ledger
 * the primary writes is verified by {@link dev.failover.cluster.LedgerCheck}.
 * Everything binds {@code 127.0.0.1} and every process started is stopped on close, on
 * Ctrl-C and at JVM exit.
 */
package dev.failover.cluster;
