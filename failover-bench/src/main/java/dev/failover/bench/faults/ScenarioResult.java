package dev.failover.bench.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one scenario: every check, every recovery measured, and where its logs
 * are if it failed.
 *
 * @param name the scenario
 * @param checks the checks, in the order made
 * @param recoveries the recoveries measured
 * @param notes observations worth reporting that are not checks
 * @param smallestGap the shortest time between two primaries, if there were two
 * @param took how long the scenario ran, start-up included
 * @param error an exception that aborted the scenario, or {@code null}
 * @param keptWorkDir the work directory kept for inspection, or {@code null}
 */
record ScenarioResult(String name, List<Check> checks, List<Recovery> recoveries, List<String> notes,
		Optional<Duration> smallestGap,
		Duration took, Throwable error, Path keptWorkDir) {

	ScenarioResult {
		checks = List.copyOf(checks);
		recoveries = List.copyOf(recoveries);
		notes = List.copyOf(notes);
	}

	/**
	 * Returns whether every check passed, every recovery was in bounds and nothing aborted.
	 * @return {@code true} if the scenario passed
	 */
	boolean passed() {
		return this.error == null && this.checks.stream().allMatch(Check::passed)
				&& this.recoveries.stream().allMatch(Recovery::withinBound);
	}

	/**
	 * Returns the failed checks and out-of-bound recoveries, one line each.
	 * @return the failures
	 */
	List<String> failures() {
		java.util.ArrayList<String> failures = new java.util.ArrayList<>();
		if (this.error != null) {
			failures.add("aborted: " + this.error);
		}
		this.checks.stream().filter((check) -> !check.passed()).forEach((check) -> failures.add(check.name() + ": "
				+ check.detail()));
		this.recoveries.stream().filter((recovery) -> !recovery.withinBound()).forEach((recovery) -> failures
			.add("recovery too slow: " + recovery));
		return failures;
	}

}
