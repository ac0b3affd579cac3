package dev.failover.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.failover.core.FailoverConfig;
import dev.failover.core.RoleChange;
import dev.failover.kafka.KafkaClientOverrides;
import dev.failover.kafka.KafkaTransport;
import dev.failover.kafka.KafkaTransportOptions;
import dev.failover.testkit.KafkaBroker;
import dev.failover.testkit.Sleeps;

/**
 * Many groups on one topic: 100 groups of two core watchers each, on one topic of one
 * partition (the starter's default) or of several, run in this JVM over two Kafka transports (side a and side
 * b, one producer each and one consumer per watcher, as two processes hosting 100 services
 * each would). One group's primary is crashed at a time while the other 99 keep running,
 * then ten at once.
 * <p>
 * A crash is {@link dev.failover.core.Watcher#closeAbruptly()}: heartbeats stop and nothing
 * is announced, as when a process is killed. The clock starts just before it and stops at
 * the successor's promotion as its watcher dated it ({@link RoleChange#at()}), in this JVM.
 * Any promotion in a group that was not crashed is counted as a disturbance.
 */
final class GroupsBench {

	private static final Duration SETTLE = Duration.ofSeconds(120);

	private final PrintStream out;

	GroupsBench(PrintStream out) {
		this.out = out;
	}

	/**
	 * Runs the benchmark on a broker of its own.
	 * @param groupCount how many groups
	 * @param partitions how many partitions the topic has
	 * @param runs how many single-group crashes
	 * @param burst how many groups to crash at once afterwards
	 * @param window the idle window for the cost figures
	 * @return the result
	 */
	Result run(int groupCount, int partitions, int runs, int burst, Duration window) {
		FailoverConfig config = FailoverConfig.builder()
			.enabled(true)
			.heartbeatInterval(Duration.ofSeconds(1))
			.heartbeatTimeout(Duration.ofSeconds(3))
			.build();
		try (KafkaBroker broker = KafkaBroker.builder().start();
				KafkaTransport sideA = transport(broker, config, "side-a", partitions);
				KafkaTransport sideB = transport(broker, config, "side-b", partitions)) {
			List<GroupPair> groups = new ArrayList<>();
			for (int i = 0; i < groupCount; i++) {
				groups.add(new GroupPair(String.format("group-%03d", i), config, sideA, sideB));
			}
			try {
				long started = System.nanoTime();
				groups.forEach(GroupPair::start);
				awaitSettled(groups);
				this.out.printf("  %d groups settled %d s after starting %d watchers%n", groupCount,
						(System.nanoTime() - started) / 1_000_000_000L, 2 * groupCount);
				// let the start-up's compilation and catch-up reads finish before measuring
				Sleeps.sleep(Duration.ofSeconds(10));
				groups.forEach(GroupPair::drainPromotions);
				Idle idle = measureIdle(broker, window);
				String topic = (partitions == 1) ? "one partition" : partitions + " partitions";
				Timing single = Timing.of("crash failover, one of " + groupCount + " groups, " + topic,
						"just before the primary watcher is closed abruptly", "the successor's promotion (RoleChange.at)");
				int disturbed = 0;
				for (int run = 0; run < runs; run++) {
					GroupPair victim = groups.get((run * 37) % groupCount);
					disturbed += crash(groups, List.of(victim), single);
				}
				Timing many = Timing.of("crash failover, " + burst + " of " + groupCount + " groups at once, " + topic,
						"just before the primary watchers are closed abruptly", "each successor's promotion");
				List<GroupPair> victims = new ArrayList<>();
				for (int i = 0; i < burst; i++) {
					victims.add(groups.get((i * 11 + 5) % groupCount));
				}
				disturbed += crash(groups, victims, many);
				return new Result(groupCount, partitions, single, many, idle, disturbed);
			}
			finally {
				groups.forEach(GroupPair::close);
			}
		}
	}

	/** Crashes the primaries of some groups at once, times each failover, restarts the crashed watchers. */
	private int crash(List<GroupPair> groups, List<GroupPair> victims, Timing timing) {
		BenchClusters.randomPhase(Duration.ofSeconds(1));
		Map<GroupPair, Integer> sides = new HashMap<>();
		Map<GroupPair, Long> epochs = new HashMap<>();
		for (GroupPair victim : victims) {
			int side = victim.primarySide().orElseThrow(() -> new IllegalStateException(victim.group() + " has no primary"));
			sides.put(victim, side);
			epochs.put(victim, victim.watcher(side).epoch());
		}
		Instant crashed = Instant.now();
		victims.forEach((victim) -> victim.crash(sides.get(victim)));
		for (GroupPair victim : victims) {
			RoleChange promotion = awaitPromotion(victim, epochs.get(victim));
			Duration took = Duration.between(crashed, promotion.at());
			timing.samples().add(took);
			this.out.printf("  %s: '%s' crashed, '%s' primary at epoch %d after %s%n", victim.group(),
					victim.watcher(sides.get(victim)).instanceId(), promotion.instanceId(), promotion.epoch(),
					Samples.format(took));
		}
		victims.forEach((victim) -> victim.restart(sides.get(victim)));
		awaitSettled(victims);
		int disturbed = 0;
		for (GroupPair group : groups) {
			if (!victims.contains(group)) {
				List<RoleChange> unexpected = group.drainPromotions();
				disturbed += unexpected.size();
				unexpected.forEach((change) -> this.out.println("  DISTURBED: " + change));
			}
			else {
				group.drainPromotions();
			}
		}
		return disturbed;
	}

	private static RoleChange awaitPromotion(GroupPair group, long afterEpoch) {
		long deadline = System.nanoTime() + SETTLE.toNanos();
		List<RoleChange> seen = new ArrayList<>();
		while (System.nanoTime() - deadline < 0) {
			seen.addAll(group.drainPromotions());
			for (RoleChange change : seen) {
				if (change.epoch() > afterEpoch) {
					return change;
				}
			}
			Sleeps.sleep(Duration.ofMillis(5));
		}
		throw new IllegalStateException("No promotion in " + group.group() + " above epoch " + afterEpoch);
	}

	private static void awaitSettled(List<GroupPair> groups) {
		long deadline = System.nanoTime() + SETTLE.toNanos();
		while (!groups.stream().allMatch(GroupPair::settled)) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Not every group settled on one primary within " + SETTLE.toSeconds() + " s");
			}
			Sleeps.sleep(Duration.ofMillis(100));
		}
	}

	private Idle measureIdle(KafkaBroker broker, Duration window) {
		long pid = ProcessHandle.current().pid();
		ProcStats self = ProcStats.of(pid);
		ProcStats brokerStats = ProcStats.of(broker.pid());
		long offset = HeartbeatLog.endOffsetSum(broker.bootstrapServers());
		long started = System.nanoTime();
		this.out.printf("  measuring an idle window of %d s with every group running%n", window.toSeconds());
		Sleeps.sleep(window);
		double seconds = (System.nanoTime() - started) / 1e9;
		ProcStats selfAfter = ProcStats.of(pid);
		ProcStats brokerAfter = ProcStats.of(broker.pid());
		double records = (HeartbeatLog.endOffsetSum(broker.bootstrapServers()) - offset) / seconds;
		return new Idle(selfAfter.cpuPercentSince(self, seconds), brokerAfter.cpuPercentSince(brokerStats, seconds),
				records, selfAfter.threads());
	}

	private static KafkaTransport transport(KafkaBroker broker, FailoverConfig config, String side, int partitions) {
		return new KafkaTransport(KafkaTransportOptions.builder()
			.topic(HeartbeatLog.TOPIC)
			.partitions(partitions)
			.bootstrapServers(broker.bootstrapServers())
			.producerConfig(KafkaClientOverrides.producer(config.heartbeatInterval(), config.heartbeatTimeout()))
			.consumerConfig(KafkaClientOverrides.consumer(config.heartbeatInterval(), config.heartbeatTimeout()))
			.clientIdPrefix(side)
			.ensureTopicOnFirstRead(true)
			.build());
	}

	/**
	 * What the running groups cost while idle.
	 *
	 * @param cpuPercent CPU of this JVM (all watchers of both sides), in percent of one core
	 * @param brokerCpuPercent CPU of the broker, in percent of one core
	 * @param recordsPerSecond records appended to the topic per second
	 * @param threads threads of this JVM
	 */
	record Idle(double cpuPercent, double brokerCpuPercent, double recordsPerSecond, int threads) {
	}

	/**
	 * The result.
	 *
	 * @param groups how many groups ran
	 * @param partitions how many partitions the topic had
	 * @param single one group crashed at a time
	 * @param burst several groups crashed at once
	 * @param idle the idle cost
	 * @param disturbed promotions in groups that were not crashed
	 */
	record Result(int groups, int partitions, Timing single, Timing burst, Idle idle, int disturbed) {
	}

}
