package dev.failover.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import dev.failover.cluster.SampleCluster;
import dev.failover.cluster.SampleJar;

/**
 * The benchmark: crash failover, graceful handover, the idle cost of failover, and how
 * failover time scales with the number of instances and of groups, on one local broker with
 * a heartbeat interval of 1 s and a timeout of 3 s. Writes {@code benchmark.md} and
 * {@code benchmark.json}; {@code scripts/benchmark.sh} builds what is needed and runs it.
 * <p>
 * Timings are measured, never asserted: this is not a test. Each series states where its
 * clock starts and stops.
 */
public final class Benchmark {

	private static final PrintStream OUT = System.out;

	private Benchmark() {
	}

	public static void main(String[] args) {
		BenchOptions options;
		try {
			options = BenchOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		Path jar = ((options.sampleJar() != null) ? options.sampleJar() : SampleJar.locate()).toAbsolutePath();
		BenchReport report = new BenchReport(header(options));
		long started = System.nanoTime();
		if (options.sections().contains("crash") || options.sections().contains("sigterm")
				|| options.sections().contains("switchover")) {
			timings(jar, options, report);
		}
		if (options.sections().contains("probe")) {
			probe(jar, options, report);
		}
		if (options.sections().contains("probe") || options.sections().contains("probe-cost")) {
			probeCost(jar, options, report);
		}
		if (options.sections().contains("cost")) {
			OUT.println("== idle cost");
			report.cost(new IdleCostBench(jar, OUT, options.jvm()).run(options.warmUp(), options.idle(), options.settle()));
		}
		if (options.sections().contains("scale")) {
			for (int size : List.of(2, 5, 10)) {
				OUT.println("== scale: crash failover with " + size + " instances");
				try (SampleCluster cluster = BenchClusters.builder(jar, size, BenchClusters.SCALE_JVM).start()) {
					List<Timing> timings = new CrashBench(cluster, OUT, "crash failover, " + size + " instances")
						.run(options.scaleRuns(), false);
					// the kill-to-promotion time, and the successor's own figure (last heartbeat to
					// promotion), which the point of the heartbeat cycle at which the kill fell does not blur
					report.scale(timings.get(0));
					report.scale(timings.get(timings.size() - 1));
				}
			}
		}
		if (options.sections().contains("groups")) {
			for (int partitions : List.of(1, 50)) {
				OUT.println("== scale: 100 groups on one topic of " + partitions + " partition(s)");
				report.groups(new GroupsBench(OUT).run(100, partitions, options.scaleRuns() * 2, 10, Duration.ofSeconds(30)));
			}
		}
		Targets.evaluate(report);
		Path written = report.write(options.out());
		OUT.println();
		OUT.println(report.markdown());
		OUT.printf("Written to %s and benchmark.json in %d min.%n", written, (System.nanoTime() - started) / 60_000_000_000L);
		System.exit(0);
	}

	private static void timings(Path jar, BenchOptions options, BenchReport report) {
		String[] appArgs = options.ledger() ? new String[0] : new String[] { "--sample.ledger.enabled=false" };
		try (SampleCluster cluster = BenchClusters.builder(jar, 3, options.jvm())
			.appArgs(appArgs)
			.proxied(options.proxied())
			.start()) {
			cluster.awaitSinglePrimary(BenchClusters.SETTLE);
			if (options.sections().contains("crash")) {
				OUT.println("== crash failover: kill -9 of the primary, " + options.runs() + " runs");
				report.timings(new CrashBench(cluster, OUT, "crash failover (kill -9 of the primary)")
					.run(options.runs(), true));
			}
			HandoverBench handover = new HandoverBench(cluster, OUT);
			if (options.sections().contains("sigterm")) {
				OUT.println("== graceful handover: SIGTERM to the primary, " + HandoverBench.SETTLED + ", "
						+ options.runs() + " runs");
				report.timings(handover.sigtermSettled(options.runs()));
				OUT.println("== graceful handover: SIGTERM to the primary right after a restart, " + options.runs()
						+ " runs");
				report.timings(handover.sigtermAfterRestart(options.runs()));
			}
			if (options.sections().contains("switchover")) {
				OUT.println("== graceful handover: POST step-down, " + HandoverBench.SETTLED + ", " + options.runs()
						+ " runs");
				report.timings(handover.switchover(options.runs()));
			}

		}
	}

	/**
	 * Crash failover with the process probe on, at 1 s / 3 s and at the defaults (5 s / 15 s),
	 * and the defaults' timeout path beside them: the same kill, with and without the evidence.
	 */
	private static void probe(Path jar, BenchOptions options, BenchReport report) {
		String[] probe = { "--failover.process-probe.enabled=true", "--failover.process-probe.host=127.0.0.1" };
		String[] defaults = { "--failover.heartbeat-interval=5s", "--failover.heartbeat-timeout=15s" };
		series(jar, options, report, "crash failover with the process probe (kill -9), 1 s / 3 s", probe);
		series(jar, options, report, "crash failover with the process probe (kill -9), 5 s / 15 s",
				concat(probe, defaults));
		series(jar, options, report, "crash failover without the probe (kill -9), 5 s / 15 s", defaults);
	}

	/** What the process probe costs an idle group. */
	private static void probeCost(Path jar, BenchOptions options, BenchReport report) {
		ProbeCostBench cost = new ProbeCostBench(jar, OUT, options.jvm());
		OUT.println("== the process probe's idle cost");
		ProbeCostBench.Result idle = cost.idle(Duration.ofSeconds(60), Duration.ofSeconds(120));
		OUT.println("  " + idle);
		report.target("process probe, idle: CPU of its threads in the primary", "< 0.2 % of a core",
				String.format(Locale.ROOT, "%.3f %% (%d threads)", idle.primaryCpuPercent(), idle.primaryThreads()),
				idle.primaryCpuPercent() < 0.2);
		report.target("process probe, idle: CPU of its threads in a secondary", "< 0.2 % of a core",
				String.format(Locale.ROOT, "%.3f %% (%d threads)", idle.secondaryCpuPercent(), idle.secondaryThreads()),
				idle.secondaryCpuPercent() < 0.2);
		report.target("process probe, idle: memory of a secondary with it against one without", "< 2 MiB",
				String.format(Locale.ROOT, "%+.1f MiB (medians of %d secondaries with it and %d without, resident set "
						+ "plus live heap after a full GC; spread within each %.1f and %.1f MiB)",
						idle.secondaryMemoryMb(), ProbeCostBench.PAIRS, ProbeCostBench.PAIRS, idle.withSpreadMb(),
						idle.withoutSpreadMb()),
				idle.secondaryMemoryMb() < 2);
		OUT.println("== the primary's heartbeats with ten members watching its probe endpoint");
		Duration[] gaps = cost.heartbeatGaps(10, Duration.ofSeconds(60));
		OUT.println("  longest gap " + Samples.format(gaps[0]) + " at an interval of " + Samples.format(gaps[1]));
		report.target("process probe, 10 members: the primary's longest heartbeat gap", "<= interval + 250 ms",
				Samples.format(gaps[0]) + " (interval " + Samples.format(gaps[1]) + ")",
				gaps[0].compareTo(gaps[1].plusMillis(250)) <= 0);
	}

	private static void series(Path jar, BenchOptions options, BenchReport report, String label, String[] args) {
		String[] ledger = options.ledger() ? new String[0] : new String[] { "--sample.ledger.enabled=false" };
		OUT.println("== " + label + ", " + options.runs() + " runs");
		try (SampleCluster cluster = BenchClusters.builder(jar, 3, options.jvm())
			.appArgs(concat(ledger, args))
			.start()) {
			cluster.awaitSinglePrimary(BenchClusters.SETTLE);
			report.timings(new CrashBench(cluster, OUT, label).run(options.runs(), true));
		}
	}

	private static String[] concat(String[] first, String[] second) {
		String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

	private static String header(BenchOptions options) {
		return String.format(Locale.ROOT, "%s, %d cores, %s, Java %s; one local broker (KRaft, single node); sample app "
				+ "with heartbeat interval 1 s, timeout 3 s (lease 2.4 s), three instances, ledger job %s, each "
				+ "instance connected to the broker %s. Timing instances run with `%s` and otherwise the JVM's "
				+ "defaults (tiered JIT with C2, the default collector): what a service runs, not the harness's "
				+ "fast-start `-XX:TieredStopAtLevel=1`. Scale runs use `%s` for every size. Percentiles are "
				+ "nearest-rank (with 20 runs, p99 is the maximum).",
				Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(), memory(),
				System.getProperty("java.version"), options.ledger() ? "on" : "off",
				options.proxied() ? "through a TCP proxy of the harness (`--proxied`; scale and cost runs: directly)"
						: "directly",
				String.join(" ", options.jvm()),
				String.join(" ", BenchClusters.SCALE_JVM));
	}

	private static String memory() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
					return Math.round(kb / 1024.0 / 1024.0) + " GiB RAM";
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: leave it out
		}
		return "unknown RAM";
	}

}
