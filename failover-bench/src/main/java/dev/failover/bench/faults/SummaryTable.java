package dev.failover.bench.faults;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.failover.testkit.TextTable;

/**
 * The suite's summary: one line per scenario (result, checks passed, recovery times against
 * their bound, the smallest gap between two primaries, run time), then every failure and
 * observation.
 */
final class SummaryTable {

	private SummaryTable() {
	}

	/**
	 * Renders the summary.
	 * @param results the results, in run order
	 * @return the text
	 */
	static String render(List<ScenarioResult> results) {
		TextTable table = new TextTable("scenario", "result", "checks", "recovery: time without a primary (bound)",
				"smallest gap", "took");
		for (ScenarioResult result : results) {
			long passed = result.checks().stream().filter(Check::passed).count();
			table.row(result.name(), result.passed() ? "PASS" : "FAIL", passed + "/" + result.checks().size(),
					recovery(result.recoveries()), result.smallestGap().map(SummaryTable::duration).orElse("-"),
					seconds(result.took()));
		}
		StringBuilder out = new StringBuilder(table.render());
		long failed = results.stream().filter((result) -> !result.passed()).count();
		out.append("\n\n").append(results.size() - failed).append(" of ").append(results.size())
			.append(" scenarios passed.");
		for (ScenarioResult result : results) {
			for (String failure : result.failures()) {
				out.append("\n  ").append(result.name()).append(": ").append(failure);
			}
			if (result.keptWorkDir() != null && !result.passed()) {
				out.append("\n  ").append(result.name()).append(": logs kept in ").append(result.keptWorkDir());
			}
		}
		for (ScenarioResult result : results) {
			for (String note : result.notes()) {
				out.append("\n  ").append(result.name()).append(": ").append(note);
			}
		}
		return out.toString();
	}

	private static String recovery(List<Recovery> recoveries) {
		List<Recovery> measured = recoveries.stream().filter((recovery) -> recovery.took() != null).toList();
		if (measured.isEmpty()) {
			return recoveries.isEmpty() ? "-" : "primary kept throughout";
		}
		Duration bound = measured.get(0).bound();
		if (measured.size() == 1) {
			Recovery only = measured.get(0);
			return duration(only.took()) + " from " + only.measuredFrom() + " (" + duration(bound) + ")";
		}
		Duration max = measured.stream().map(Recovery::took).max(Comparator.naturalOrder()).orElseThrow();
		List<String> from = measured.stream().map(Recovery::measuredFrom).distinct().toList();
		return measured.size() + "x, max " + duration(max) + " from " + (from.size() == 1 ? from.get(0) : "each fault")
				+ " (" + duration(bound) + ")";
	}

	static String duration(Duration duration) {
		Objects.requireNonNull(duration);
		long millis = duration.toMillis();
		if (Math.abs(millis) >= 1000) {
			return String.format(Locale.ROOT, "%.2f s", duration.toNanos() / 1e9);
		}
		if (Math.abs(duration.toNanos()) >= 1_000_000) {
			return String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
		}
		return String.format(Locale.ROOT, "%d us", duration.toNanos() / 1000);
	}

	private static String seconds(Duration duration) {
		return duration.toSeconds() + " s";
	}

}
