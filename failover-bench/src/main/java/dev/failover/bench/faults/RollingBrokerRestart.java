package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.failover.testkit.KafkaBroker;
import dev.failover.testkit.KafkaCluster;
import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleInstance;

/**
 * A rolling restart of every broker, as an operator does one: each broker in turn gets
 * {@code SIGTERM} (a controlled shutdown, which hands its partitions' leadership to the other
 * replicas first), starts again on its data, and must be back in the ISR of every partition
 * it holds before the next one goes.
 */
final class RollingBrokerRestart {

	private RollingBrokerRestart() {
	}

	/**
	 * Restarts the brokers one by one and counts the failovers.
	 * @param run the scenario
	 * @param expectNone whether a failover fails the scenario (at the defaults, whose lease
	 * outlasts a leadership move)
	 * @throws InterruptedException if interrupted while waiting
	 */
	static void run(FaultRun run, boolean expectNone) throws InterruptedException {
		ClusterFaults.checkTopicShape(run);
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		int roleChanges = RoleLogs.count(run.instances());
		KafkaCluster kafka = run.kafka();
		Instant began = Instant.now();
		Map<Instant, Integer> sigterms = new TreeMap<>();
		for (KafkaBroker broker : kafka.brokers()) {
			int leader = ClusterFaults.heartbeatLeader(run);
			Instant stopping = Instant.now();
			sigterms.put(stopping, broker.nodeId());
			broker.restart();
			Instant started = Instant.now();
			kafka.awaitInSync(broker.nodeId(), FaultRun.SETTLE.multipliedBy(2));
			run.log("broker " + broker.nodeId() + (broker.nodeId() == leader ? " (the heartbeat partition's leader)" : "")
					+ " stopped and started in " + Duration.between(stopping, started).toMillis()
					+ " ms, back in every ISR after " + Duration.between(started, Instant.now()).toMillis() + " ms more");
		}
		run.log("rolling restart done in " + Duration.between(began, Instant.now()).toMillis() + " ms");
		String fault = "rolling restart of the 3 brokers";
		if (expectNone) {
			Thread.sleep(run.recoveryBound().toMillis());
			run.expectPrimaryKept(fault, primary, epoch, roleChanges);
			run.note(fault + ": " + GroupOutage.since(run.primaryIntervals(), began));
		}
		else {
			// a failover is timed from the SIGTERM that caused it: the last one before the promotion
			Thread.sleep(run.recoveryBound().toMillis());
			run.awaitPrimary();
			Optional<RoleLogEntry> promotion = RoleLogs.promotionAbove(run.instances(), epoch);
			if (promotion.isPresent()) {
				Map.Entry<Instant, Integer> cause = sigterms.entrySet()
					.stream()
					.filter((entry) -> entry.getKey().isBefore(promotion.get().at()))
					.reduce((a, b) -> b)
					.orElseThrow();
				run.recovered(new Recovery(fault, "the SIGTERM of broker " + cause.getValue(),
						RoleLogs.since(cause.getKey(), promotion.get()), run.recoveryBound(),
						promotion.get().instanceId(), promotion.get().epoch()));
			}
			else {
				run.recovered(new Recovery(fault, "-", null, run.recoveryBound(), primary.id(), epoch));
			}
			run.note(fault + ": " + GroupOutage.since(run.primaryIntervals(), began));
		}
	}

}
