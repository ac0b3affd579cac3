package dev.failover.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The benchmark's targets, set against the best alternative measured at the same settings
 * (Curator's LeaderLatch on ZooKeeper: crash median about 2.7 s, worst 3.5 s; graceful
 * median 17.5 ms), and whether the run met them.
 */
final class Targets {

	private static final Duration CRASH_MEDIAN = Duration.ofMillis(2600);

	private static final Duration CRASH_WORST = Duration.ofMillis(3200);

	/** A dead process replaced on the evidence of its closed probe endpoint. */
	private static final Duration PROBE_MEDIAN = Duration.ofMillis(150);

	private static final Duration PROBE_P99 = Duration.ofMillis(400);

	private static final Duration GRACEFUL_MEDIAN = Duration.ofMillis(9);

	private static final Duration GRACEFUL_P90 = Duration.ofMillis(15);

	/**
	 * "Flat": the successor's median last-heartbeat-to-promotion time with ten instances
	 * within this of the one with two.
	 */
	private static final Duration FLAT = Duration.ofMillis(100);

	/** The handover series judged against the graceful target: how each is found, how it is named. */
	private static final List<Handover> HANDOVERS = List.of(
			new Handover("graceful shutdown (SIGTERM", "graceful shutdown, settled group"),
			new Handover("graceful shutdown right after a restart", "graceful shutdown right after a restart"),
			new Handover("switchover", "switchover"));

	private Targets() {
	}

	/**
	 * Compares what the report holds with the targets, adding one row per target.
	 * @param report the report
	 */
	static void evaluate(BenchReport report) {
		find(report.timings(), "crash failover (kill").ifPresent((crash) -> {
			Samples samples = crash.samples();
			report.target("crash failover, median", "<= 2.6 s", format(samples.p50()),
					samples.p50().compareTo(CRASH_MEDIAN) <= 0);
			report.target("crash failover, worst", "<= 3.2 s", format(samples.max()),
					samples.max().compareTo(CRASH_WORST) <= 0);
		});
		// with the process probe: as the successor dates it, and as a client polling sees it
		for (Timing timing : report.timings()) {
			String name = timing.name();
			if (name.startsWith("crash failover with the process probe") && !name.contains("own figure")) {
				Samples samples = timing.samples();
				report.target(name + ", median", "<= 150 ms", format(samples.p50()),
						samples.p50().compareTo(PROBE_MEDIAN) <= 0);
				report.target(name + ", p99", "<= 400 ms", format(samples.p99()),
						samples.p99().compareTo(PROBE_P99) <= 0);
			}
		}
		// the graceful target is set for a running service; a handover to an instance started
		// seconds before (a rolling restart) is judged against it too, and shown as it is
		for (Handover handover : HANDOVERS) {
			// as the application hears it: the successor's @EventListener
			report.timings()
				.stream()
				.filter((timing) -> timing.name().startsWith(handover.prefix())
						&& timing.name().endsWith("as the successor's @EventListener hears it")
						&& timing.samples().count() > 0)
				.findFirst()
				.ifPresent((timing) -> {
					Samples samples = timing.samples();
					report.target(handover.label() + " at the listener, median", "<= 9 ms", format(samples.p50()),
							samples.p50().compareTo(GRACEFUL_MEDIAN) <= 0);
					report.target(handover.label() + " at the listener, p90", "<= 15 ms", format(samples.p90()),
							samples.p90().compareTo(GRACEFUL_P90) <= 0);
				});
			find(report.timings(), handover.prefix()).ifPresent((timing) -> {
				Samples samples = timing.samples();
				report.target(handover.label() + ", median", "<= 9 ms", format(samples.p50()),
						samples.p50().compareTo(GRACEFUL_MEDIAN) <= 0);
				report.target(handover.label() + ", p90", "<= 15 ms", format(samples.p90()),
						samples.p90().compareTo(GRACEFUL_P90) <= 0);
			});
		}
		IdleCostBench.Result cost = report.cost();
		if (cost != null) {
			for (IdleCost role : List.of(cost.primary(), cost.secondary())) {
				IdleCost extra = role.minus(role.label() + " minus baseline", cost.baseline());
				// the cost of failover: what the instance uses beyond the same app without it
				// an idle service runs for hours: judged on the settled window, the first one shown beside it
				report.target(role.label() + ", extra CPU", "< 1 % of a core", percent(extra.settledCpuPercent())
						+ " above baseline (" + percent(extra.settledCompilerPercent()) + " of it JIT compiler; soon "
						+ "after start-up " + percent(extra.earlyCpuPercent()) + " above)", extra.settledCpuPercent() < 1.0);
				// every cost instance runs with the same fixed, pre-touched heap, and is measured after a
				// full GC and a trim of the native heap: the resident sets differ by what is in use outside
				// the heap, and the live heaps by the objects failover keeps
				double memory = extra.rssMb() + extra.liveHeapMb();
				report.target(role.label() + ", extra memory", "< 30 MB", String.format(Locale.ROOT,
						"%+.1f MiB: %+.1f MiB resident outside the heap, %+.1f MiB live heap (peak RSS %+.1f MiB)",
						memory, extra.rssMb(), extra.liveHeapMb(), extra.peakRssMb()), memory < 30);
			}
		}
		// judged on the successor's own figure: the kill-to-promotion medians of ten runs each
		// also carry the point of the heartbeat cycle at which each kill fell (0 to 1 s)
		Optional<Timing> two = find(report.scaleTimings(), "crash failover, 2 instances, the successor's own");
		Optional<Timing> ten = find(report.scaleTimings(), "crash failover, 10 instances, the successor's own");
		if (two.isPresent() && ten.isPresent()) {
			Duration difference = ten.get().samples().p50().minus(two.get().samples().p50()).abs();
			report.target("failover time flat from 2 to 10 instances", "median detection-to-promotion within 100 ms",
					format(two.get().samples().p50()) + " vs " + format(ten.get().samples().p50()),
					difference.compareTo(FLAT) <= 0);
		}
	}

	private static Optional<Timing> find(List<Timing> timings, String prefix) {
		return timings.stream().filter((timing) -> timing.name().startsWith(prefix) && timing.samples().count() > 0)
			.findFirst();
	}

	private static String format(Duration duration) {
		return Samples.format(duration);
	}

	private static String percent(double value) {
		return String.format(Locale.ROOT, "%.2f %%", value);
	}

	/** A handover series: the start of its timing's name, and its label in the targets. */
	private record Handover(String prefix, String label) {
	}

}
