package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.NewTopic;

import dev.failover.testkit.KafkaCluster;
import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleCluster;
import dev.failover.cluster.SampleClusterBuilder;
import dev.failover.cluster.SampleInstance;

/**
 * Acknowledged records lost by an unclean leader election, staged on three brokers: the
 * heartbeat topic is created before the instances start with two replicas (node
 * {@value #LEADER} leading, node {@value #FOLLOWER} following), {@code min.insync.replicas} 1
 * and {@code unclean.leader.election.enable=true}, all that PROTOCOL.md tells operators not
 * to do. The follower is paused until it drops out of the ISR while the group goes on
 * writing, the leader is killed, and the follower resumed: it becomes leader without the
 * records written since its pause, which every instance had read.
 * <p>
 * The group runs at the defaults, 5 s / 15 s, so that the primary's lease (12 s) outlasts
 * the partition's leaderless time and the primary is still acting when the truncation
 * becomes visible; the broker session is lowered to 3 s so that the paused follower leaves
 * the ISR, and the dead leader is fenced, within a lease.
 */
final class UncleanTruncationScenario implements Scenario {

	static final int LEADER = 2;

	static final int FOLLOWER = 3;

	private static final Pattern LOG_REPLACED = Pattern.compile("the log is not the one read so far");

	private static final Pattern TRUNCATED = Pattern.compile("Failover topic '" + HeartbeatTopic.TOPIC
			+ "' of group .*: (.*truncat.*|.*out of the log's range.*|.*already read.*)");

	private static final Pattern REPORTED_END = Pattern.compile("the log ends at offset (\\d+)");

	private static final Duration UNCLEAN_WAIT = Duration.ofSeconds(20);

	@Override
	public String name() {
		return "topic-unclean-truncation";
	}

	@Override
	public String description() {
		return "three brokers, heartbeat topic with 2 replicas, min ISR 1, unclean election on: pause the follower, "
				+ "keep writing, kill -9 the leader, resume the follower, which leads without the acknowledged records: "
				+ "every member fails closed, nobody claims for a full timeout, epochs keep rising";
	}

	@Override
	public ScenarioResult run(SuiteSettings settings) {
		long started = System.nanoTime();
		SampleClusterBuilder builder = SampleCluster.builder()
			.instances(3)
			.sampleJar(settings.sampleJar())
			.brokers(3)
			.brokerProperty("broker.session.timeout.ms", "3000")
			.brokerProperty("broker.heartbeat.interval.ms", "1000")
			.appArgs(new String[] { "--failover.heartbeat-interval=5s", "--failover.heartbeat-timeout=15s" });
		FaultRun run;
		try {
			run = FaultRun.start(name(), builder, settings, UncleanTruncationScenario::createTopic);
		}
		catch (RuntimeException ex) {
			return new ScenarioResult(name(), List.of(), List.of(), List.of(), Optional.empty(),
					Duration.ofNanos(System.nanoTime() - started), ex, null);
		}
		Throwable error = null;
		try {
			exercise(run);
		}
		catch (Exception | AssertionError ex) {
			error = ex;
			run.log("aborted: " + ex);
		}
		return run.finish(error, started);
	}

	private static void createTopic(SampleCluster cluster) {
		Map<String, String> configs = new LinkedHashMap<>();
		// what the starter sets on a topic it creates, but for the durability settings
		configs.put("cleanup.policy", "compact");
		configs.put("min.compaction.lag.ms", String.valueOf(Duration.ofHours(1).toMillis()));
		configs.put("message.timestamp.type", "LogAppendTime");
		configs.put("min.insync.replicas", "1");
		configs.put("unclean.leader.election.enable", "true");
		try (TopicAdmin admin = new TopicAdmin(cluster.bootstrapServers())) {
			admin.create(new NewTopic(HeartbeatTopic.TOPIC, Map.of(0, List.of(LEADER, FOLLOWER))).configs(configs));
		}
	}

	private static void exercise(FaultRun run) throws InterruptedException {
		KafkaCluster kafka = run.kafka();
		try (TopicAdmin admin = new TopicAdmin(run.cluster().bootstrapServers())) {
			int leader = kafka.awaitLeader(HeartbeatTopic.TOPIC, 0, (node) -> true, FaultRun.SETTLE);
			run.check("heartbeat topic as staged", leader == LEADER && kafka.replicas(HeartbeatTopic.TOPIC, 0)
				.equals(List.of(LEADER, FOLLOWER)), "partition 0: leader " + leader + ", replicas "
						+ kafka.replicas(HeartbeatTopic.TOPIC, 0) + ", in sync " + kafka.inSyncReplicas(HeartbeatTopic.TOPIC, 0)
						+ ", min.insync.replicas " + kafka.topicConfig(HeartbeatTopic.TOPIC, "min.insync.replicas").orElse("?")
						+ ", unclean.leader.election.enable "
						+ kafka.topicConfig(HeartbeatTopic.TOPIC, "unclean.leader.election.enable").orElse("?"));
			run.awaitLedgerProgress(run.awaitPrimary());

			Instant paused = Instant.now();
			kafka.broker(FOLLOWER).pause();
			run.log("SIGSTOP of broker " + FOLLOWER + ", the follower");
			awaitInSyncOnly(run, kafka, LEADER);
			long endAtShrink = endOffset(admin);
			run.log("broker " + FOLLOWER + " left the ISR " + Duration.between(paused, Instant.now()).toMillis()
					+ " ms after the SIGSTOP; end offset " + endAtShrink);
			long endBeforeKill = awaitEnd(run, admin, endAtShrink + 6);
			// every instance has read them by now: they read within milliseconds of the append
			Thread.sleep(1000);
			SampleInstance primary = run.awaitPrimary();
			long epoch = primary.status().epoch();
			long highestBefore = TopicScenarios.highestEpoch(run);
			Map<SampleInstance, Long> positions = TopicScenarios.positions(run);
			endBeforeKill = Math.max(endBeforeKill, endOffset(admin));

			Instant killed = Instant.now();
			kafka.broker(LEADER).kill();
			kafka.broker(FOLLOWER).resume();
			run.log("kill -9 of broker " + LEADER + " (the leader, end offset " + endBeforeKill + "), SIGCONT of broker "
					+ FOLLOWER + " (out of sync since offset " + endAtShrink + " or below)");
			Instant elected = electFollower(run, kafka, admin, killed);
			Map<SampleInstance, Instant> noticed = new LinkedHashMap<>();
			long lowestEnd = Long.MAX_VALUE;
			int reported = 0;
			for (SampleInstance instance : run.instances()) {
				Optional<String> transport = TopicScenarios.logLine(instance, positions.get(instance), TRUNCATED,
						FaultRun.SETTLE);
				Optional<String> watcher = TopicScenarios.logLine(instance, positions.get(instance), LOG_REPLACED,
						Duration.ofSeconds(5));
				watcher.ifPresent((line) -> noticed.put(instance, MaintenanceScenarios.timestamp(line)));
				java.util.regex.Matcher end = transport.map(REPORTED_END::matcher).filter(java.util.regex.Matcher::find)
					.orElse(null);
				reported += transport.isPresent() ? 1 : 0;
				if (end != null) {
					lowestEnd = Math.min(lowestEnd, Long.parseLong(end.group(1)));
				}
				run.check("'" + instance.id() + "' noticed the truncation and failed closed", watcher.isPresent(),
						"transport: " + transport.map((line) -> line.substring(line.indexOf("Failover topic")).strip())
							.orElse("no truncation reported") + "; watcher: " + watcher.map((line) -> "noticed "
									+ Duration.between(elected, noticed.get(instance)).toMillis()
									+ " ms after the unclean election")
								.orElse("did not report a replaced log"));
			}
			// the members' own reports: by the time the Admin client asks, they have written to the new log
			// a transport reports either the log's end below an offset read, or the consumer's truncation check
			long endAfter = lowestEnd;
			String newEnd = (endAfter == Long.MAX_VALUE) ? "below an offset read (the consumer's truncation check)"
					: "at offset " + endAfter;
			run.check("acknowledged records were lost (the fault is staged)", reported > 0 && endAfter >= 0
					&& (endAfter == Long.MAX_VALUE || endAfter < endBeforeKill), reported + " of "
							+ run.instances().size() + " transports reported the new leader's log ending " + newEnd
							+ "; the old leader's ended at " + endBeforeKill);
			Optional<RoleLogEntry> demotion = RoleLogs.demotion(primary, epoch);
			run.check("the primary stepped down", demotion.isPresent(), demotion.map((entry) -> "'" + primary.id()
					+ "' left epoch " + epoch + " (" + entry.cause() + ") " + Duration.between(killed, entry.at()).toMillis()
					+ " ms after the leader's death, " + Duration.between(elected, entry.at()).toMillis()
					+ " ms after the unclean election").orElse("'" + primary.id() + "' is still primary at epoch " + epoch));
			Recovery recovery = run.expectPromotion("unclean election of broker " + FOLLOWER + " (records lost)",
					"the unclean election", elected, highestBefore);
			RoleLogEntry promotion = RoleLogs.promotion(run.cluster().instance(recovery.successor()), recovery.epoch())
				.orElseThrow();
			Instant claimerNoticed = noticed.get(run.cluster().instance(recovery.successor()));
			if (claimerNoticed != null) {
				Duration waited = Duration.between(claimerNoticed, promotion.at());
				run.check("nobody claimed for a full timeout after noticing", waited.compareTo(run.timeout()) >= 0,
						"'" + recovery.successor() + "' promoted " + waited.toMillis() + " ms after it noticed (timeout "
								+ run.timeout().toMillis() + " ms)");
			}
			run.check("the new primary's epoch is above every earlier one", recovery.epoch() > highestBefore,
					"epoch " + recovery.epoch() + "; highest before the truncation " + highestBefore);
			run.note("unclean election after kill -9 of the leader: " + GroupOutage.since(run.primaryIntervals(), killed)
					+ "; epochs " + highestBefore + " before, " + recovery.epoch() + " after; "
					+ "the new leader's log ended " + newEnd + ", the old one's at " + endBeforeKill);
			ClusterFaults.restartAndRejoin(run, LEADER);
		}
	}

	/** Returns the end offset of partition 0, asking again while brokers are dead or the metadata stale. */
	private static long endOffset(TopicAdmin admin) throws InterruptedException {
		long deadline = System.nanoTime() + FaultRun.SETTLE.toNanos();
		while (true) {
			try {
				return admin.endOffsets(HeartbeatTopic.TOPIC).get(0);
			}
			catch (IllegalStateException ex) {
				if (System.nanoTime() - deadline > 0) {
					throw ex;
				}
				Thread.sleep(200);
			}
		}
	}

	/** Waits until the partition's ISR is the leader alone. */
	private static void awaitInSyncOnly(FaultRun run, KafkaCluster kafka, int leader) throws InterruptedException {
		long deadline = System.nanoTime() + FaultRun.SETTLE.toNanos();
		List<Integer> isr = List.of();
		while (System.nanoTime() - deadline < 0) {
			try {
				isr = kafka.inSyncReplicas(HeartbeatTopic.TOPIC, 0);
				if (isr.equals(List.of(leader))) {
					return;
				}
			}
			catch (RuntimeException ex) {
				// the paused broker may have been asked; another will answer
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("the ISR of the heartbeat partition is still " + isr + " " + FaultRun.SETTLE
			.toSeconds() + " s after the follower's pause");
	}

	/** Waits until the leader's log has grown to an offset: the group goes on writing without the follower. */
	private static long awaitEnd(FaultRun run, TopicAdmin admin, long end) throws InterruptedException {
		long deadline = System.nanoTime() + FaultRun.SETTLE.toNanos();
		long now = endOffset(admin);
		while (now < end && System.nanoTime() - deadline < 0) {
			Thread.sleep(200);
			now = endOffset(admin);
		}
		run.log("the group wrote up to offset " + now + " without the follower");
		return now;
	}

	/**
	 * Waits for the controller to make the stale follower leader on its own (unclean election
	 * is enabled on the topic); asks for an unclean election with the Admin client if it has
	 * not within {@link #UNCLEAN_WAIT}.
	 * @return when the follower was seen leading
	 */
	private static Instant electFollower(FaultRun run, KafkaCluster kafka, TopicAdmin admin, Instant killed) {
		try {
			kafka.awaitLeader(HeartbeatTopic.TOPIC, 0, (node) -> node == FOLLOWER, UNCLEAN_WAIT);
			run.note("the controller elected broker " + FOLLOWER + " uncleanly by itself, "
					+ Duration.between(killed, Instant.now()).toMillis() + " ms after the leader's death");
		}
		catch (IllegalStateException ex) {
			Instant asked = Instant.now();
			Optional<String> failed = admin.electUnclean(HeartbeatTopic.TOPIC, 0);
			kafka.awaitLeader(HeartbeatTopic.TOPIC, 0, (node) -> node == FOLLOWER, FaultRun.SETTLE);
			run.note("the controller did not elect broker " + FOLLOWER + " within " + UNCLEAN_WAIT.toSeconds()
					+ " s by itself; an unclean election asked with the Admin client ("
					+ failed.orElse("accepted") + ") made it leader "
					+ Duration.between(asked, Instant.now()).toMillis() + " ms later");
		}
		Instant elected = Instant.now();
		run.log("broker " + FOLLOWER + " leads the heartbeat partition; in sync "
				+ kafka.inSyncReplicas(HeartbeatTopic.TOPIC, 0));
		return elected;
	}

}
