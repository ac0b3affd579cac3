package dev.failover.bench.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * A scenario whose fault lies outside what the protocol promises (an operator error that
 * PROTOCOL.md names): an overlap of two primaries there is the documented limit, reported
 * plainly in the summary instead of failing the suite. Every other check still counts, and
 * so do violations other than an overlap (epochs going down, a promotion outside every run).
 */
final class DocumentedLimit implements Scenario {

	private static final String INTERVAL_CHECK = "one primary at a time, epochs rising";

	private static final String OVERLAP = "two primaries at once: ";

	private final Scenario scenario;

	private final String limit;

	private DocumentedLimit(Scenario scenario, String limit) {
		this.scenario = scenario;
		this.limit = limit;
	}

	/**
	 * Wraps a scenario so that an overlap of primaries is reported as the documented limit.
	 * @param scenario the scenario
	 * @param limit the limit, in words, for the summary
	 * @return the wrapped scenario
	 */
	static Scenario overlapAllowed(Scenario scenario, String limit) {
		return new DocumentedLimit(scenario, limit);
	}

	@Override
	public String name() {
		return this.scenario.name();
	}

	@Override
	public String description() {
		return this.scenario.description();
	}

	@Override
	public ScenarioResult run(SuiteSettings settings) {
		ScenarioResult result = this.scenario.run(settings);
		List<Check> checks = new ArrayList<>();
		List<String> notes = new ArrayList<>(result.notes());
		for (Check check : result.checks()) {
			if (check.passed() || !INTERVAL_CHECK.equals(check.name()) || !onlyOverlaps(check.detail())) {
				checks.add(check);
				continue;
			}
			checks.add(Check.of(INTERVAL_CHECK + " (an overlap is the documented limit here)", true,
					"OVERLAP: " + check.detail()));
			notes.add("DOCUMENTED LIMIT HIT: " + this.limit + ": " + check.detail()
					+ ((result.keptWorkDir() != null) ? " (logs kept in " + result.keptWorkDir() + ")" : ""));
		}
		return new ScenarioResult(result.name(), checks, result.recoveries(), notes, result.smallestGap(), result.took(),
				result.error(), result.keptWorkDir());
	}

	/** Whether every violation the interval check listed is an overlap (they are joined by "; "). */
	private static boolean onlyOverlaps(String detail) {
		for (String violation : detail.split("; (?=')|; (?=two primaries)|; (?=epochs did not)")) {
			if (!violation.startsWith(OVERLAP)) {
				return false;
			}
		}
		return true;
	}

}
