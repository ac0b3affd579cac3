package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.failover.bench.HeartbeatLog;
import dev.failover.testkit.KafkaCluster;
import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleInstance;

/**
 * What the three-broker scenarios share: finding the broker that leads the group's partition
 * of the heartbeat topic, checking that the topic has the production shape, and measuring
 * what a broker fault cost the group once it has settled.
 */
final class ClusterFaults {

	private ClusterFaults() {
	}

	/**
	 * Returns the group's partition of the heartbeat topic.
	 * @param run the scenario
	 * @return the partition number
	 */
	static int heartbeatPartition(FaultRun run) {
		return HeartbeatLog.partitionOf(HeartbeatTopic.GROUP, run.kafka().partitionCount(HeartbeatTopic.TOPIC))
			.partition();
	}

	/**
	 * Returns the broker that leads the group's partition now, as the cluster's metadata says.
	 * @param run the scenario
	 * @return the leader's node id
	 */
	static int heartbeatLeader(FaultRun run) {
		return run.kafka()
			.awaitLeader(HeartbeatTopic.TOPIC, heartbeatPartition(run), (node) -> true, FaultRun.SETTLE);
	}

	/**
	 * Checks that the heartbeat topic, which the starter created itself, has the shape the
	 * scenario is about: three replicas, {@code min.insync.replicas} 2, no unclean election.
	 * @param run the scenario
	 */
	static void checkTopicShape(FaultRun run) {
		KafkaCluster kafka = run.kafka();
		int partition = heartbeatPartition(run);
		List<Integer> replicas = kafka.replicas(HeartbeatTopic.TOPIC, partition);
		String minInSync = kafka.topicConfig(HeartbeatTopic.TOPIC, "min.insync.replicas").orElse("?");
		String unclean = kafka.topicConfig(HeartbeatTopic.TOPIC, "unclean.leader.election.enable").orElse("?");
		run.check("heartbeat topic created by the starter in production shape",
				replicas.size() == 3 && "2".equals(minInSync) && "false".equals(unclean),
				"partition " + partition + ": replicas " + replicas + ", in sync "
						+ kafka.inSyncReplicas(HeartbeatTopic.TOPIC, partition) + ", min.insync.replicas " + minInSync
						+ ", unclean.leader.election.enable " + unclean);
	}

	/**
	 * Waits until the group has settled after a fault the cluster has recovered from, then
	 * records the recovery and the outage, and returns the outage. The recovery is judged
	 * against the usual bound from the moment Kafka could serve the heartbeat partition to
	 * the instances again (a new leader, or the broker back): no failover protocol on Kafka can
	 * elect before that, and Kafka's own time to move a partition is its broker session, not
	 * ours. The time from the fault itself is noted beside it.
	 * @param run the scenario
	 * @param fault what happened
	 * @param servedFrom what {@code served} is, in words
	 * @param from when the fault was injected
	 * @param served when Kafka could serve the partition to the instances again
	 * @param primary the primary before the fault
	 * @param epoch its epoch
	 * @return what the fault cost
	 * @throws InterruptedException if interrupted while waiting
	 */
	static GroupOutage settle(FaultRun run, String fault, String servedFrom, Instant from, Instant served,
			SampleInstance primary, long epoch) throws InterruptedException {
		// any claim the fault provoked has been made by then: a timeout of silence and two intervals
		Thread.sleep(run.recoveryBound().toMillis());
		run.awaitPrimary();
		Optional<RoleLogEntry> promotion = RoleLogs.promotionAbove(run.instances(), epoch);
		if (promotion.isPresent()) {
			Duration sinceServed = RoleLogs.since(served, promotion.get());
			run.recovered(new Recovery(fault, servedFrom, sinceServed.isNegative() ? Duration.ZERO : sinceServed,
					run.recoveryBound(), promotion.get().instanceId(), promotion.get().epoch()));
			run.note(fault + ": Kafka could serve the partition again " + Duration.between(from, served).toMillis()
					+ " ms after the fault; the successor was primary " + RoleLogs.since(from, promotion.get()).toMillis()
					+ " ms after the fault");
		}
		else {
			run.recovered(new Recovery(fault, servedFrom, null, run.recoveryBound(), primary.id(), epoch));
		}
		GroupOutage outage = GroupOutage.since(run.primaryIntervals(), from);
		run.note(fault + ": " + outage);
		return outage;
	}

	/**
	 * Restarts a broker that a fault took down and waits until it is back in every ISR, then
	 * notes any failover the rejoin caused (leadership may move back to it).
	 * @param run the scenario
	 * @param node the broker
	 * @throws InterruptedException if interrupted while waiting
	 */
	static void restartAndRejoin(FaultRun run, int node) throws InterruptedException {
		Instant restarting = Instant.now();
		if (run.kafka().broker(node).isAlive()) {
			run.kafka().awaitInSync(node, FaultRun.SETTLE.multipliedBy(2));
		}
		else {
			run.kafka().broker(node).restart();
			run.kafka().awaitInSync(node, FaultRun.SETTLE.multipliedBy(2));
			run.log("broker " + node + " restarted and back in every ISR after "
					+ Duration.between(restarting, Instant.now()).toMillis() + " ms");
		}
		Thread.sleep(run.recoveryBound().toMillis());
		run.awaitPrimary();
		GroupOutage rejoin = GroupOutage.since(run.primaryIntervals(), restarting);
		if (rejoin.failovers() > 0) {
			run.note("while broker " + node + " rejoined: " + rejoin);
		}
	}

}
