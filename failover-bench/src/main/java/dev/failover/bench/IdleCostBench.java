package dev.failover.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.failover.testkit.Sleeps;
import dev.failover.testkit.cluster.InstanceStatus;
import dev.failover.testkit.cluster.SampleCluster;
import dev.failover.testkit.cluster.SampleInstance;

/**
 * The cost of failover in an idle service: CPU, memory and threads of an idle primary and
 * an idle secondary, against the same application with failover off, and the records per
 * second failover writes to the heartbeat topic.
 * <p>
 * Three instances of the sample run side by side with the same JVM options, the ledger job
 * off ({@code --sample.ledger.enabled=false}) so that only failover differs: {@code a} and
 * {@code b} form a group; {@code c} runs with {@code --failover.enabled=false}, which opens no
 * failover connection and starts no failover thread: the baseline. (The sample's ledger-tail
 * consumer for its status page runs in all three.) After a warm-up, CPU time is read from
 * {@code /proc/<pid>/stat} at the start and end of an idle window; memory is {@code VmHWM} (the
 * peak since the process started, start-up included) and {@code VmRSS} at the end.
 */
final class IdleCostBench {

	private final Path sampleJar;

	private final PrintStream out;

	private final List<String> jvm;

	IdleCostBench(Path sampleJar, PrintStream out, List<String> jvm) {
		this.sampleJar = sampleJar;
		this.out = out;
		this.jvm = jvm;
	}

	/**
	 * Measures.
	 * @param warmUp how long to let the instances settle first
	 * @param window the idle window
	 * @return the result
	 */
	Result run(Duration warmUp, Duration window) {
		try (SampleCluster cluster = BenchClusters.builder(this.sampleJar, 3, this.jvm)
			.appArgs(new String[] { "--sample.ledger.enabled=false" })
			.appArgs("c", new String[] { "--failover.enabled=false" })
			.startBroker()) {
			cluster.startInstances();
			SampleInstance a = cluster.instance("a");
			SampleInstance b = cluster.instance("b");
			SampleInstance baseline = cluster.instance("c");
			a.awaitHealthy(BenchClusters.START);
			b.awaitHealthy(BenchClusters.START);
			awaitAnswer(baseline);
			SampleInstance primary = awaitPair(a, b);
			SampleInstance secondary = (primary == a) ? b : a;
			this.out.printf("  '%s' is primary, '%s' secondary, '%s' runs without failover; warming up for %d s%n",
					primary.id(), secondary.id(), baseline.id(), warmUp.toSeconds());
			Sleeps.sleep(warmUp);
			List<SampleInstance> measured = List.of(primary, secondary, baseline);
			List<ProcStats> before = new ArrayList<>();
			measured.forEach((instance) -> before.add(ProcStats.of(pid(instance))));
			ProcStats brokerBefore = ProcStats.of(cluster.broker().pid());
			long offsetBefore = endOffset(cluster.bootstrapServers());
			long started = System.nanoTime();
			this.out.printf("  measuring an idle window of %d s%n", window.toSeconds());
			Sleeps.sleep(window);
			double seconds = (System.nanoTime() - started) / 1e9;
			long offsetAfter = endOffset(cluster.bootstrapServers());
			List<IdleCost> costs = new ArrayList<>();
			String[] labels = { "idle primary", "idle secondary", "baseline: failover off" };
			for (int i = 0; i < measured.size(); i++) {
				ProcStats after = ProcStats.of(pid(measured.get(i)));
				costs.add(cost(labels[i], before.get(i), after, seconds));
			}
			IdleCost broker = cost("broker (serves the group and every client)", brokerBefore,
					ProcStats.of(cluster.broker().pid()), seconds);
			boolean stillPrimary = primary.status().isPrimary();
			return new Result(costs, broker, (offsetAfter - offsetBefore) / seconds, seconds, stillPrimary);
		}
	}

	private static IdleCost cost(String label, ProcStats before, ProcStats after, double seconds) {
		double cpu = (after.cpuTicks() - before.cpuTicks()) / (double) ProcStats.TICKS_PER_SECOND / seconds * 100;
		return new IdleCost(label, cpu, after.peakRssKb() / 1024.0, after.rssKb() / 1024.0, after.threads());
	}

	private static long pid(SampleInstance instance) {
		return instance.process().orElseThrow().pid();
	}

	private static void awaitAnswer(SampleInstance instance) {
		long deadline = System.nanoTime() + BenchClusters.START.toNanos();
		while (instance.tryStatus().isEmpty()) {
			if (!instance.isAlive() || System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("'" + instance.id() + "' did not answer");
			}
			Sleeps.sleep(Duration.ofMillis(100));
		}
	}

	/** Waits until one of two instances is primary and the other follows it. */
	private static SampleInstance awaitPair(SampleInstance a, SampleInstance b) {
		long deadline = System.nanoTime() + BenchClusters.SETTLE.toNanos();
		while (System.nanoTime() - deadline < 0) {
			InstanceStatus sa = a.status();
			InstanceStatus sb = b.status();
			if (sa.isPrimary() != sb.isPrimary() && sa.agreesWith(sb)) {
				return sa.isPrimary() ? a : b;
			}
			Sleeps.sleep(Duration.ofMillis(100));
		}
		throw new IllegalStateException("'a' and 'b' did not settle on one primary");
	}

	private static long endOffset(String bootstrapServers) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.CLIENT_ID_CONFIG, "benchmark-offsets", ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				ByteArrayDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
			Set<TopicPartition> partitions = Set.copyOf(consumer.partitionsFor("failover-heartbeats", Duration.ofSeconds(30))
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList());
			return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream().mapToLong(Long::longValue).sum();
		}
	}

	/**
	 * The result.
	 *
	 * @param costs the primary, the secondary and the baseline
	 * @param broker the broker's own cost over the window
	 * @param recordsPerSecond records appended to the heartbeat topic per second
	 * @param windowSeconds the window's actual length
	 * @param stablePrimary whether the primary kept its role throughout
	 */
	record Result(List<IdleCost> costs, IdleCost broker, double recordsPerSecond, double windowSeconds,
			boolean stablePrimary) {

		IdleCost primary() {
			return this.costs.get(0);
		}

		IdleCost secondary() {
			return this.costs.get(1);
		}

		IdleCost baseline() {
			return this.costs.get(2);
		}

	}

}
