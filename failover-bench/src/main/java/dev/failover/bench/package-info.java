/**
 * The failover benchmark: crash failover, graceful handover, the idle cost of failover and
 * how failover time scales, measured on real processes and a standalone broker.
 * <p>
 * {@link dev.failover.bench.Benchmark} runs every section and writes {@code benchmark.md}
 * and {@code benchmark.json} ({@code scripts/benchmark.sh}); every series states where its
 * clock starts and stops. {@link dev.failover.bench.HandoverProfile} splits one graceful
 * handover into its phases without Spring, the floor under the process-level figures.
 * The shared helpers here ({@link dev.failover.bench.HeartbeatLog},
 * {@link dev.failover.bench.InstanceHttp}, {@link dev.failover.bench.ProcStats}) also serve
 * the fault suite in {@link dev.failover.bench.faults}; role logs are read with the demo
 * module's {@link dev.failover.cluster.RoleLogs}.
 */
package dev.failover.bench;
