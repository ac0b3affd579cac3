package dev.failover.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's command-line options.
 *
 * @param runs runs of each crash and handover series
 * @param scaleRuns crash runs per cluster size in the scale series
 * @param sections the sections to run: crash, probe, sigterm, switchover, cost, scale, groups
 * @param ledger whether the sample's ledger job runs in the timing cluster
 * @param jvm the JVM options of the timing cluster
 * @param idle the idle window of the cost measurement
 * @param warmUp how long instances settle before the first idle window
 * @param settle when the settled idle window starts, counted from the election
 * @param out the directory for {@code benchmark.md} and {@code benchmark.json}
 * @param sampleJar the sample jar, or {@code null} to locate it
 * @param proxied whether the timing cluster's instances reach the broker through TCP proxies
 */
record BenchOptions(int runs, int scaleRuns, Set<String> sections, boolean ledger, List<String> jvm, Duration idle,
		Duration warmUp, Duration settle, Path out, Path sampleJar, boolean proxied) {

	static final List<String> SECTIONS = List.of("crash", "probe", "probe-cost", "sigterm", "switchover", "cost",
			"scale", "groups");

	static final String USAGE = """
			Usage: scripts/benchmark.sh [--runs N] [--scale-runs N] [--only SECTIONS] [--no-ledger] [--proxied]
			                            [--idle-seconds N] [--settle-seconds N] [--out DIR]
			  --runs N          runs of each crash and handover series (default 20)
			  --scale-runs N    crash runs per size of the scale series: 2, 5, 10 instances (default 10;
			                    twice as many single-group crashes among 100 groups)
			  --only a,b        run only these sections of crash, probe, probe-cost, sigterm, switchover, cost,
			                    scale, groups (default: all; probe-cost is the probe's idle cost alone, which
			                    probe includes)
			  --no-ledger       time failover with the sample's ledger job off (default: on, as shipped)
			  --proxied         time crash, sigterm and switchover with each instance behind a TCP proxy of
			                    the harness, as the fault suite runs them (default: direct to the broker)
			  --jvm "OPTIONS"   JVM options of the instances timed in crash, sigterm, switchover and cost
			                    (default: -Xmx256m; for experiments such as -XX:CompileThresholdScaling=0.05)
			  --idle-seconds N  the first idle window of the cost measurement (default 60); the settled
			                    one is three times as long, to average the JIT compiler's bursts
			  --settle-seconds N  when the settled idle window starts, counted from the election (default 600:
			                    the JIT compiler is still busy with the idle path in minutes 5 to 10)
			  --out DIR         where benchmark.md and benchmark.json go (default failover-bench/target)""";

	/**
	 * Parses the arguments.
	 * @param args the arguments
	 * @return the options
	 * @throws IllegalArgumentException on a bad argument, with the usage
	 */
	static BenchOptions parse(String... args) {
		int runs = 20;
		int scaleRuns = 10;
		Set<String> sections = new LinkedHashSet<>(SECTIONS);
		Duration idle = Duration.ofSeconds(60);
		Duration settle = Duration.ofSeconds(600);
		Path out = Path.of("failover-bench", "target");
		Path jar = null;
		boolean ledger = true;
		boolean proxied = false;
		List<String> jvm = BenchClusters.TIMING_JVM;
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			switch (arg) {
				case "--runs" -> runs = positive(arg, value(args, ++i, arg));
				case "--scale-runs" -> scaleRuns = positive(arg, value(args, ++i, arg));
				case "--idle-seconds" -> idle = Duration.ofSeconds(positive(arg, value(args, ++i, arg)));
				case "--settle-seconds" -> settle = Duration.ofSeconds(positive(arg, value(args, ++i, arg)));
				case "--out" -> out = Path.of(value(args, ++i, arg));
				case "--sample-jar" -> jar = Path.of(value(args, ++i, arg));
				case "--no-ledger" -> ledger = false;
				case "--proxied" -> proxied = true;
				case "--jvm" -> jvm = List.of(value(args, ++i, arg).trim().split("\\s+"));
				case "--only" -> {
					sections = new LinkedHashSet<>(List.of(value(args, ++i, arg).split(",")));
					if (!SECTIONS.containsAll(sections)) {
						throw new IllegalArgumentException("--only takes " + SECTIONS + ", was " + sections + "\n" + USAGE);
					}
				}
				default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
			}
		}
		return new BenchOptions(runs, scaleRuns, sections, ledger, jvm, idle, Duration.ofSeconds(30), settle, out, jar, proxied);
	}

	private static String value(String[] args, int index, String option) {
		if (index >= args.length) {
			throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
		}
		return args[index];
	}

	private static int positive(String option, String value) {
		try {
			int number = Integer.parseInt(value);
			if (number > 0) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException(option + " needs a positive number, was " + value + "\n" + USAGE);
	}

}
