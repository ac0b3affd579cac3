package dev.failover.bench.faults;

import java.util.List;

/**
 * The scenarios of what operators do to the heartbeat topic and to the group's settings
 * while it runs: {@code topic-...} (the topic replaced, partitions added, records lost by an
 * unclean election) and {@code rolling-...} (a timeout and a signing key rolled out).
 * {@code --only 'topic-*,rolling-*'} runs them all. None is in the quick suite: each takes
 * a minute or more, and the unclean election needs three brokers.
 */
final class OperatorScenarios {

	private OperatorScenarios() {
	}

	/**
	 * Returns every operator scenario, in the order the full suite runs them.
	 * @return the scenarios
	 */
	static List<Scenario> all() {
		return List.of(TopicScenarios.replaced(), TopicScenarios.replacedAtOnce(), TopicScenarios.partitionsAdded(),
				RollingScenarios.timeoutChange(), RollingScenarios.keyRotation(), RollingScenarios.unsafeKey(),
				new UncleanTruncationScenario());
	}

}
