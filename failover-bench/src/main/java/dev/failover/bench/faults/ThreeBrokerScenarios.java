package dev.failover.bench.faults;

import java.time.Duration;
import java.util.List;

import dev.failover.cluster.SampleClusterBuilder;

/**
 * The scenarios on three brokers in production shape (replication factor 3,
 * {@code min.insync.replicas} 2, no unclean leader election; the heartbeat topic created by
 * the starter itself), named {@code 3b-...}: the crash, a long pause and the isolation of the
 * broker that leads the group's partition, and a rolling restart of all three. The crash and
 * the rolling restart run at the sample's 1 s / 3 s and at the defaults, 5 s / 15 s.
 * <p>
 * Kafka's own timing stays at its defaults (a dead broker's session expires after
 * {@code broker.session.timeout.ms}, 9 s): what these scenarios measure is how the group
 * lives with the cluster as production runs it. The instances reach the brokers directly.
 */
final class ThreeBrokerScenarios {

	/** The sample's settings, which the single-broker suite uses too. */
	static final Timing FAST = new Timing(Duration.ofSeconds(1), Duration.ofSeconds(3));

	/** The starter's defaults. */
	static final Timing DEFAULTS = new Timing(Duration.ofSeconds(5), Duration.ofSeconds(15));

	private ThreeBrokerScenarios() {
	}

	/**
	 * Returns every three-broker scenario, in the order the full suite runs them.
	 * @return the scenarios
	 */
	static List<Scenario> all() {
		return List.of(killLeader(FAST), killLeader(DEFAULTS), rollingRestart(DEFAULTS), rollingRestart(FAST),
				pauseLeader(false), pauseLeader(true), isolateLeader(Duration.ofSeconds(20)),
				isolateLeader(Duration.ofSeconds(45)));
	}

	static Scenario killLeader(Timing timing) {
		return scenario("3b-kill-leader" + timing.suffix(), "SIGKILL the broker leading the heartbeat partition at "
				+ timing + ": measure failovers and the time without a primary", timing, LeaderFaults::killLeader);
	}

	static Scenario rollingRestart(Timing timing) {
		return scenario("3b-rolling-restart" + timing.suffix(), "restart the three brokers one by one (SIGTERM, "
				+ "controlled shutdown, back in every ISR before the next) at " + timing + ": count failovers"
				+ (timing.equals(DEFAULTS) ? " (target none)" : ""), timing,
				(run) -> RollingBrokerRestart.run(run, timing.equals(DEFAULTS)));
	}

	static Scenario pauseLeader(boolean pastSession) {
		String what = pastSession ? "15 s (past the broker session of 9 s: the controller moves the partition)"
				: "2 x timeout (within the broker session: the partition stays with it)";
		return scenario("3b-pause-leader" + (pastSession ? "-long" : ""),
				"SIGSTOP the broker leading the heartbeat partition for " + what + ", then SIGCONT", FAST,
				(run) -> LeaderFaults.pauseLeader(run, pastSession ? Duration.ofSeconds(15) : run.timeout().multipliedBy(2)));
	}

	static Scenario isolateLeader(Duration cut) {
		// the long cut tells whether the group's outage ends with Kafka's re-election or only with the heal
		return scenario("3b-isolate-leader" + (cut.toSeconds() > 20 ? "-long" : ""), "cut the heartbeat partition's "
				+ "leader off the other brokers (controller and replication links, " + cut.toSeconds()
				+ " s) while the instances still reach it, then heal", FAST,
				(run) -> LeaderFaults.isolateLeader(run, cut));
	}

	private static Scenario scenario(String name, String description, Timing timing, ClusterScenario.Exercise exercise) {
		return ClusterScenario.of(name, description, 3, (builder) -> configure(builder, timing), exercise);
	}

	private static void configure(SampleClusterBuilder builder, Timing timing) {
		builder.brokers(3);
		builder.appArgs(new String[] { "--failover.heartbeat-interval=" + timing.interval().toMillis() + "ms",
				"--failover.heartbeat-timeout=" + timing.timeout().toMillis() + "ms" });
	}

	/**
	 * A heartbeat interval and timeout.
	 *
	 * @param interval the heartbeat interval
	 * @param timeout the heartbeat timeout
	 */
	record Timing(Duration interval, Duration timeout) {

		String suffix() {
			return equals(FAST) ? "" : "-" + this.interval.toSeconds() + "s" + this.timeout.toSeconds() + "s";
		}

		@Override
		public String toString() {
			return this.interval.toSeconds() + " s / " + this.timeout.toSeconds() + " s";
		}

	}

}
