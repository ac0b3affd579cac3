package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;

import dev.failover.testkit.KafkaBroker;
import dev.failover.testkit.TcpProxy;
import dev.failover.cluster.SampleInstance;

/**
 * Faults of the broker that leads the group's partition of the heartbeat topic: a crash, a
 * pause, an isolation from the other brokers. The leader is found with the Admin client just
 * before the fault; while it is gone the primary's heartbeats cannot be acknowledged, so a
 * primary whose lease is shorter than the partition's leaderless time steps down, and the
 * group elects again once the partition has a leader.
 */
final class LeaderFaults {

	private LeaderFaults() {
	}

	static void killLeader(FaultRun run) throws InterruptedException {
		ClusterFaults.checkTopicShape(run);
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		int leader = ClusterFaults.heartbeatLeader(run);
		KafkaBroker victim = run.kafka().broker(leader);
		Instant killed = Instant.now();
		victim.kill();
		run.log("kill -9 of broker " + leader + ", the heartbeat partition's leader");
		int next = run.kafka().awaitLeader(HeartbeatTopic.TOPIC, ClusterFaults.heartbeatPartition(run),
				(node) -> node != leader, FaultRun.SETTLE);
		run.note("the heartbeat partition had a new leader, broker " + next + ", "
				+ Duration.between(killed, Instant.now()).toMillis() + " ms after the SIGKILL (as the Admin client saw it)");
		ClusterFaults.settle(run, "kill -9 of broker " + leader + " (leader)", "the new leader", killed, Instant.now(),
				primary, epoch);
		ClusterFaults.restartAndRejoin(run, leader);
	}

	static void pauseLeader(FaultRun run, Duration pause) throws InterruptedException {
		ClusterFaults.checkTopicShape(run);
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		int leader = ClusterFaults.heartbeatLeader(run);
		KafkaBroker victim = run.kafka().broker(leader);
		Instant paused = Instant.now();
		victim.pause();
		run.log("SIGSTOP of broker " + leader + ", the heartbeat partition's leader, for " + pause.toMillis() + " ms");
		// the partition is served again when the controller moves it, or when the broker resumes
		Instant served = null;
		try {
			run.kafka().awaitLeader(HeartbeatTopic.TOPIC, ClusterFaults.heartbeatPartition(run), (node) -> node != leader,
					pause);
			served = Instant.now();
		}
		catch (IllegalStateException ex) {
			// not moved within the pause
		}
		Thread.sleep(Math.max(0, pause.toMillis() - Duration.between(paused, Instant.now()).toMillis()));
		victim.resume();
		if (served == null) {
			served = Instant.now();
		}
		run.log("SIGCONT of broker " + leader);
		int after = ClusterFaults.heartbeatLeader(run);
		run.note("after the pause the heartbeat partition is led by broker " + after
				+ ((after == leader) ? " (it kept the partition)" : " (the controller moved it while broker " + leader
						+ " was paused)"));
		ClusterFaults.settle(run, "SIGSTOP of broker " + leader + " (leader) for " + pause.toMillis() + " ms",
				"a new leader or the SIGCONT", paused, served, primary, epoch);
		ClusterFaults.restartAndRejoin(run, leader);
	}

	static void isolateLeader(FaultRun run, Duration cut) throws InterruptedException {
		ClusterFaults.checkTopicShape(run);
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		int leader = ClusterFaults.heartbeatLeader(run);
		Instant isolated = Instant.now();
		run.kafka().isolate(leader, TcpProxy.Mode.BLACKHOLE);
		run.log("cut broker " + leader + ", the heartbeat partition's leader, off the other brokers (BLACKHOLE) for "
				+ cut.toMillis() + " ms; the instances still reach it");
		Thread.sleep(cut.toMillis());
		int during = ClusterFaults.heartbeatLeader(run);
		run.kafka().heal(leader);
		// the instances' clients keep following the isolated broker, which still answers their
		// metadata requests as the leader, until the cut heals (PROTOCOL.md): served from then
		Instant healed = Instant.now();
		run.log("healed broker " + leader + "'s links");
		// any broker may answer the Admin client, the isolated one too, whose view of the metadata is frozen
		run.note("at the end of the cut the Admin client was told that broker " + during + " leads"
				+ ((during == leader) ? " (an answer of the isolated broker itself, or the controller kept it)"
						: " (moved away from the isolated broker " + leader + ")"));
		ClusterFaults.settle(run, "isolation of broker " + leader + " (leader) for " + cut.toMillis() + " ms",
				"the heal", isolated, healed, primary, epoch);
		ClusterFaults.restartAndRejoin(run, leader);
	}

}
