package dev.failover.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.failover.cluster.SampleCluster;
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
 * <li>memory: two secondaries of one group, one with the probe and one without, with fixed
 * pre-touched heaps, after a full collection and a trim of the native heap: the difference
 * of resident set plus live heap;</li>
 * <li>the primary's heartbeat interval with ten members watching it: the gaps between its
 * heartbeats as the broker appended them.</li>
 * </ul>
 */
final class ProbeCostBench {

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
		try (SampleCluster cluster = BenchClusters.builder(this.sampleJar, 3, jvm)
			.appArgs(new String[] { "--sample.ledger.enabled=false" })
			.appArgs("a", concat(PROBE, "--failover.role=primary"))
			.appArgs("b", concat(PROBE, "--failover.role=secondary"))
			.appArgs("c", new String[] { "--failover.role=secondary" })
			.start()) {
			SampleInstance primary = cluster.awaitSinglePrimary(BenchClusters.SETTLE);
			this.out.printf("  '%s' is primary (probe on), 'b' secondary with the probe, 'c' without; warming up %d s%n",
					primary.id(), warmUp.toSeconds());
			Sleeps.sleep(warmUp);
			long a = pid(cluster.instance("a"));
			long b = pid(cluster.instance("b"));
			long c = pid(cluster.instance("c"));
			long aTicks = probeTicks(a);
			long bTicks = probeTicks(b);
			long started = System.nanoTime();
			Sleeps.sleep(window);
			double seconds = (System.nanoTime() - started) / 1e9;
			double primaryCpu = ProcStats.percent(probeTicks(a) - aTicks, seconds);
			double secondaryCpu = ProcStats.percent(probeTicks(b) - bTicks, seconds);
			int primaryThreads = probeThreads(a);
			int secondaryThreads = probeThreads(b);
			for (long pid : List.of(b, c)) {
				Commands.runJdkTool(Duration.ofSeconds(30), "jcmd", String.valueOf(pid), "GC.run");
				Commands.runJdkTool(Duration.ofSeconds(30), "jcmd", String.valueOf(pid), "System.trim_native_heap");
			}
			double withProbe = ProcStats.of(b).rssKb() / 1024.0 + HeapStats.usedMb(b);
			double without = ProcStats.of(c).rssKb() / 1024.0 + HeapStats.usedMb(c);
			return new Result(primaryCpu, secondaryCpu, primaryThreads, secondaryThreads, withProbe - without, seconds,
					primary.id().equals("a") && primary.status().isPrimary());
		}
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
	 * @param secondaryMemoryMb a secondary with the probe minus one without: resident set plus live heap
	 * @param seconds the window's length
	 * @param stable whether the intended primary kept its role throughout
	 */
	record Result(double primaryCpuPercent, double secondaryCpuPercent, int primaryThreads, int secondaryThreads,
			double secondaryMemoryMb, double seconds, boolean stable) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "probe threads' CPU: primary %.3f %% (%d threads), secondary %.3f %% "
					+ "(%d threads) of a core over %.0f s; a secondary with the probe against one without: %+.1f MiB",
					this.primaryCpuPercent, this.primaryThreads, this.secondaryCpuPercent, this.secondaryThreads,
					this.seconds, this.secondaryMemoryMb);
		}

	}

}
