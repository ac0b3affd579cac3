package dev.failover.bench.faults;

import java.util.List;

/**
 * The scenarios of the fault suite: the full list, and the shortened one that runs in
 * {@code mvn verify} (without the three-broker scenarios, too slow for every build).
 */
final class Scenarios {

	private Scenarios() {
	}

	/**
	 * Returns every scenario, in the order the full suite runs them.
	 * @return the scenarios
	 */
	static List<Scenario> full() {
		List<Scenario> scenarios = new java.util.ArrayList<>(List.of(CrashScenarios.killPrimary(), CrashScenarios.killSecondary(), CrashScenarios.killTwo(),
				PauseScenario.pausePrimary(), BrokerScenarios.brokerRestart(), BrokerScenarios.brokerRestartPrimaryDies(),
				PartitionScenarios.cutPrimary(), PartitionScenarios.cutSecondary(), MaintenanceScenarios.rollingRestart(),
				MaintenanceScenarios.switchovers(10), MaintenanceScenarios.groupRestart(), HostileInputScenario.unsigned(),
				HostileInputScenario.signed(), new InvalidConfigScenario()));
		scenarios.addAll(ProbeScenarios.all());
		scenarios.addAll(OperatorScenarios.all());
		// last: each starts three brokers, and together they take as long as the rest
		scenarios.addAll(ThreeBrokerScenarios.all());
		return List.copyOf(scenarios);
	}

	/**
	 * Returns the shortened suite: the most telling scenarios, a few minutes on two cores.
	 * @return the scenarios
	 */
	static List<Scenario> quick() {
		return List.of(CrashScenarios.killPrimary(), PauseScenario.pausePrimary(), PartitionScenarios.cutPrimary(),
				BrokerScenarios.brokerRestart(), MaintenanceScenarios.switchovers(3), HostileInputScenario.signed(),
				ProbeScenarios.killPrimary(), ProbeScenarios.pausePrimary(), new InvalidConfigScenario());
	}

}
