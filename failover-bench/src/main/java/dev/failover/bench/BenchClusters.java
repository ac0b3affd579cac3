package dev.failover.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.failover.testkit.Sleeps;
import dev.failover.cluster.SampleCluster;
import dev.failover.cluster.SampleClusterBuilder;
import dev.failover.cluster.SampleInstance;

/**
 * How the benchmark runs its clusters: which JVM options, how long to let a group settle,
 * and how to restart an instance between runs.
 */
final class BenchClusters {

	/**
	 * The JVM options of instances whose timings are measured: the JVM's defaults (tiered
	 * JIT with C2, the default collector), with a heap capped as a small service would cap
	 * it. The harness's default, {@code -XX:TieredStopAtLevel=1}, starts faster but is not
	 * what a service runs in production.
	 */
	static final List<String> TIMING_JVM = List.of("-Xmx256m");

	/**
	 * The JVM options of the scale runs (up to ten instances on two cores): small heaps and
	 * the quick compiler, the same for every cluster size so that sizes compare.
	 */
	static final List<String> SCALE_JVM = List.of("-Xmx128m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

	static final Duration SETTLE = Duration.ofSeconds(60);

	static final Duration START = Duration.ofSeconds(180);

	private BenchClusters() {
	}

	/**
	 * Returns a builder for a benchmark cluster, its instances connected to the broker
	 * directly (no series cuts one off): a proxy would relay every request and answer
	 * through the harness's JVM, a hop that no production service has.
	 * @param sampleJar the sample jar
	 * @param instances how many instances
	 * @param jvm the JVM options
	 * @return the builder
	 */
	static SampleClusterBuilder builder(Path sampleJar, int instances, List<String> jvm) {
		return SampleCluster.builder()
			.sampleJar(sampleJar)
			.instances(instances)
			.jvmArgs(jvm.toArray(String[]::new))
			.proxied(false)
			.startTimeout(START);
	}

	/**
	 * Restarts a stopped instance, waits until the group has settled with it, then lets the
	 * machine calm down (a starting JVM keeps both cores busy for a while).
	 * @param cluster the cluster
	 * @param instance the instance
	 * @param quiet how long to wait once settled
	 */
	static void restart(SampleCluster cluster, SampleInstance instance, Duration quiet) {
		instance.start();
		instance.awaitHealthy(START);
		cluster.awaitSinglePrimary(SETTLE);
		Sleeps.sleep(quiet);
	}

	/**
	 * Returns the heartbeat interval of a cluster's instances, as the first one reports it.
	 * @param cluster the cluster
	 * @return the interval
	 */
	static Duration heartbeatInterval(SampleCluster cluster) {
		return cluster.instances().get(0).status().heartbeatInterval();
	}

	/**
	 * Sleeps a random part of a heartbeat interval, so that faults fall at every point of
	 * the heartbeat cycle rather than always at the same one.
	 * @param interval the heartbeat interval
	 */
	static void randomPhase(Duration interval) {
		Sleeps.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(interval.toMillis())));
	}

}
