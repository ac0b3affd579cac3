package dev.failover.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;

import dev.failover.cluster.SampleCluster;
import dev.failover.cluster.SampleClusterBuilder;
import dev.failover.cluster.SampleInstance;
import dev.failover.core.wire.DecodeResult;
import dev.failover.core.wire.RecordCodec;
import dev.failover.core.wire.RecordType;
import dev.failover.testkit.Commands;
import dev.failover.testkit.Sleeps;

/**
 * What the process probe costs an idle group, measured where it can be told apart:
 * <ul>
 * <li>CPU: the probe's own threads (named {@code failover-probe-*}: the endpoint everybody
 * holds, the watch of the primary's) in the primary and a secondary, from their per-thread
 * tick counts in {@code /proc}, over the idle window;</li>
 * <li>memory: secondaries of one group, {@link #PAIRS} with the probe and as many without,
 * with fixed pre-touched heaps, after a full collection and a trim of the native heap: the
 * difference between the medians of resident set plus live heap (identical instances differ
 * by several MiB, so one pair cannot tell 2 MiB apart; the spread of each side is
 * reported);</li>
 * <li>the primary's heartbeat interval with ten members watching it: the gaps between its
 * heartbeats as the broker appended them.</li>
 * </ul>
 */
final class ProbeCostBench {

	/** How many secondaries with the probe, and how many without, the memory compares. */
	static final int PAIRS = 3;

	private static final String[] PROBE = { "--failover.process-probe.enabled=true",
			"--failover.process-probe.host=127.0.0.1" };

	private final Path sampleJar;

	private final PrintStream out;

	private final List<String> jvm;

	ProbeCostBench(Path sampleJar, PrintStream out, List<String> jvm) {
		this.sampleJar = sampleJar;
		this.out = out;
		this.jvm = jvm;
	}

	/**
	 * Measures the idle cost.
	 * @param warmUp how long the group runs before the window
	 * @param window the idle window
	 * @return the result
	 */
	Result idle(Duration warmUp, Duration window) {
		List<String> jvm = IdleCostBench.fixedHeap(this.jvm);
		// 'a' the primary with the probe; then PAIRS secondaries with it and PAIRS without
		List<String> withProbe = new ArrayList<>();
		List<String> withoutProbe = new ArrayList<>();
		for (int i = 1; i <= 2 * PAIRS; i++) {
			(i <= PAIRS ? withProbe : withoutProbe).add(String.valueOf((char) ('a' + i)));
		}
		SampleClusterBuilder builder = BenchClusters.builder(this.sampleJar, 1 + 2 * PAIRS, jvm)
			.appArgs(new String[] { "--sample.ledger.enabled=false" })
			.appArgs("a", concat(PROBE, "--failover.role=primary"));
		withProbe.forEach((id) -> builder.appArgs(id, concat(PROBE, "--failover.role=secondary")));
		withoutProbe.forEach((id) -> builder.appArgs(id, new String[] { "--failover.role=secondary" }));
		try (SampleCluster cluster = builder.start()) {
			SampleInstance primary = cluster.awaitSinglePrimary(BenchClusters.SETTLE);
			if (!primary.id().equals("a")) {
				// 'a' prefers the role, but another one was up more than an interval before it
				// (seven JVMs start on two cores): a switchover puts the role where it is measured
				this.out.printf("  '%s' won the start; switching over to 'a'%n", primary.id());
				primary.stepDown("a");
				primary = cluster.awaitSinglePrimary(BenchClusters.SETTLE);
			}
			this.out.printf("  '%s' is primary (probe on), %s secondaries with the probe, %s without; warming up %d s%n",
					primary.id(), withProbe, withoutProbe, warmUp.toSeconds());
			Sleeps.sleep(warmUp);
			long a = pid(primary);
			long b = pid(cluster.instance(withProbe.get(0)));
			long aTicks = probeTicks(a);
			long bTicks = probeTicks(b);
			long started = System.nanoTime();
			Sleeps.sleep(window);
			double seconds = (System.nanoTime() - started) / 1e9;
			double primaryCpu = ProcStats.percent(probeTicks(a) - aTicks, seconds);
			double secondaryCpu = ProcStats.percent(probeTicks(b) - bTicks, seconds);
			List<Double> with = footprints(cluster, withProbe);
			List<Double> without = footprints(cluster, withoutProbe);
			this.out.printf(Locale.ROOT, "  resident set plus live heap, MiB: with the probe %s, without %s%n",
					format(with), format(without));
			return new Result(primaryCpu, secondaryCpu, probeThreads(a), probeThreads(b),
					median(with) - median(without), spread(with), spread(without), seconds);
		}
	}

	/** Resident set plus live heap of each instance, in MiB, after a full collection and a trim of the native heap. */
	private static List<Double> footprints(SampleCluster cluster, List<String> ids) {
		List<Double> footprints = new ArrayList<>();
		for (String id : ids) {
			long pid = pid(cluster.instance(id));
			Commands.runJdkTool(Duration.ofSeconds(30), "jcmd", String.valueOf(pid), "GC.run");
			Commands.runJdkTool(Duration.ofSeconds(30), "jcmd", String.valueOf(pid), "System.trim_native_heap");
			footprints.add(ProcStats.of(pid).rssKb() / 1024.0 + HeapStats.usedMb(pid));
		}
		return footprints;
	}

	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static double spread(List<Double> values) {
		DoubleSummaryStatistics statistics = values.stream().mapToDouble(Double::doubleValue).summaryStatistics();
		return statistics.getMax() - statistics.getMin();
	}

	private static String format(List<Double> values) {
		return values.stream().map((value) -> String.format(Locale.ROOT, "%.1f", value)).toList().toString();
	}

	/**
	 * Measures the primary's heartbeat gaps while every member watches its endpoint.
	 * @param members how many instances
	 * @param window how long to watch
	 * @return the longest gap between two of the primary's heartbeats, and the interval
	 */
	Duration[] heartbeatGaps(int members, Duration window) {
		try (SampleCluster cluster = BenchClusters.builder(this.sampleJar, members, BenchClusters.SCALE_JVM)
			.appArgs(concat(PROBE, "--sample.ledger.enabled=false"))
			.start()) {
			SampleInstance primary = cluster.awaitSinglePrimary(BenchClusters.SETTLE);
			Duration interval = BenchClusters.heartbeatInterval(cluster);
			this.out.printf("  %d members with the probe on; '%s' primary; watching its heartbeats for %d s%n", members,
					primary.id(), window.toSeconds());
			Sleeps.sleep(Duration.ofSeconds(5));
			long from = HeartbeatLog.endOffsetSum(cluster.bootstrapServers());
			Sleeps.sleep(window);
			long to = HeartbeatLog.endOffsetSum(cluster.bootstrapServers());
			RecordCodec codec = new RecordCodec(64 * 1024, null);
			java.time.Instant previous = null;
			Duration longest = Duration.ZERO;
			for (HeartbeatLog.Entry entry : HeartbeatLog.tail(cluster.bootstrapServers(), "failover-sample", to - from)) {
				if (entry.value() == null) {
					continue;
				}
				DecodeResult decoded = codec.decode(entry.value());
				if (!decoded.isAccepted() || decoded.record().type() != RecordType.HEARTBEAT
						|| !decoded.record().instanceId().equals(primary.id())) {
					continue;
				}
				if (previous != null) {
					Duration gap = Duration.between(previous, entry.timestamp());
					longest = (gap.compareTo(longest) > 0) ? gap : longest;
				}
				previous = entry.timestamp();
			}
			return new Duration[] { longest, interval };
		}
	}

	/** The CPU ticks of a process's probe threads (their names, as {@code /proc} cuts them: {@code failover-probe-}). */
	static long probeTicks(long pid) {
		long ticks = 0;
		for (Path task : tasks(pid)) {
			try {
				if (Files.readString(task.resolve("comm")).trim().startsWith("failover-probe")) {
					String stat = Files.readString(task.resolve("stat"));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
				}
			}
			catch (IOException ex) {
				// the thread ended meanwhile
			}
		}
		return ticks;
	}

	private static int probeThreads(long pid) {
		int threads = 0;
		for (Path task : tasks(pid)) {
			try {
				if (Files.readString(task.resolve("comm")).trim().startsWith("failover-probe")) {
					threads++;
				}
			}
			catch (IOException ex) {
				// ended meanwhile
			}
		}
		return threads;
	}

	private static List<Path> tasks(long pid) {
		try (var list = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
			return new ArrayList<>(list.toList());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the threads of " + pid, ex);
		}
	}

	private static long pid(SampleInstance instance) {
		return instance.process().orElseThrow().pid();
	}

	private static String[] concat(String[] first, String... more) {
		String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		return all;
	}

	/**
	 * The idle cost of the probe.
	 *
	 * @param primaryCpuPercent the primary's probe threads, in percent of one core
	 * @param secondaryCpuPercent a secondary's probe threads, in percent of one core
	 * @param primaryThreads the primary's probe threads
	 * @param secondaryThreads a secondary's probe threads
	 * @param secondaryMemoryMb the median of the secondaries with the probe minus that of those
	 * without: resident set plus live heap
	 * @param withSpreadMb the largest minus the smallest footprint of the secondaries with the probe
	 * @param withoutSpreadMb the same for those without
	 * @param seconds the window's length
	 */
	record Result(double primaryCpuPercent, double secondaryCpuPercent, int primaryThreads, int secondaryThreads,
			double secondaryMemoryMb, double withSpreadMb, double withoutSpreadMb, double seconds) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "probe threads' CPU: primary %.3f %% (%d threads), secondary %.3f %% "
					+ "(%d threads) of a core over %.0f s; secondaries with the probe against those without: %+.1f MiB "
					+ "between the medians (spread %.1f and %.1f MiB)", this.primaryCpuPercent, this.primaryThreads,
					this.secondaryCpuPercent, this.secondaryThreads, this.seconds, this.secondaryMemoryMb,
					this.withSpreadMb, this.withoutSpreadMb);
		}

	}

}
