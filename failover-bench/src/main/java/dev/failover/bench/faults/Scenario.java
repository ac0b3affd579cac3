package dev.failover.bench.faults;

/**
 * One scenario of the fault suite: a fault (or a series of them) injected into real
 * processes, and the checks that must hold afterwards. Each scenario starts and stops
 * everything it needs.
 */
interface Scenario {

	/**
	 * Returns the scenario's short name, such as {@code kill-primary}.
	 * @return the name, used on the command line and in the summary
	 */
	String name();

	/**
	 * Returns what the scenario does and expects, in one line.
	 * @return the description
	 */
	String description();

	/**
	 * Runs the scenario; never throws: a failure is part of the result.
	 * @param settings where and how to run
	 * @return the result
	 */
	ScenarioResult run(SuiteSettings settings);

}
