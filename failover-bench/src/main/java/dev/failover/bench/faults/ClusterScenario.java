package dev.failover.bench.faults;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.failover.cluster.SampleClusterBuilder;

/**
 * A scenario that runs on a fresh cluster of its own (a broker and sample instances, the
 * sample's 1 s / 3 s settings): starts it, injects its faults through a {@link FaultRun},
 * then stops everything and checks the role logs and the ledger.
 */
abstract class ClusterScenario implements Scenario {

	private final String name;

	private final String description;

	private final int instances;

	ClusterScenario(String name, String description, int instances) {
		this.name = name;
		this.description = description;
		this.instances = instances;
	}

	/**
	 * Creates a scenario from its steps.
	 * @param name the name
	 * @param description what it does and expects
	 * @param instances how many instances it runs
	 * @param configure customizes the cluster
	 * @param exercise injects the faults and checks
	 * @return the scenario
	 */
	static ClusterScenario of(String name, String description, int instances,
			java.util.function.Consumer<SampleClusterBuilder> configure, Exercise exercise) {
		return new ClusterScenario(name, description, instances) {

			@Override
			void configure(SampleClusterBuilder builder) {
				configure.accept(builder);
			}

			@Override
			void exercise(FaultRun run) throws Exception {
				exercise.run(run);
			}

		};
	}

	/**
	 * Creates a scenario of three instances with the sample's settings.
	 * @param name the name
	 * @param description what it does and expects
	 * @param exercise injects the faults and checks
	 * @return the scenario
	 */
	static ClusterScenario of(String name, String description, Exercise exercise) {
		return of(name, description, 3, (builder) -> {
		}, exercise);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String description() {
		return this.description;
	}

	/**
	 * Customizes the cluster before it starts (application arguments, broker settings).
	 * @param builder the builder, already set to the instance count and the sample jar
	 */
	void configure(SampleClusterBuilder builder) {
	}

	/**
	 * Injects the faults and makes the scenario's own checks.
	 * @param run the running cluster and its recorder
	 * @throws Exception if the scenario cannot go on; recorded as its failure
	 */
	abstract void exercise(FaultRun run) throws Exception;

	/**
	 * The steps of a scenario.
	 */
	@FunctionalInterface
	interface Exercise {

		void run(FaultRun run) throws Exception;

	}

	@Override
	public final ScenarioResult run(SuiteSettings settings) {
		long started = System.nanoTime();
		SampleClusterBuilder builder = dev.failover.cluster.SampleCluster.builder()
			.instances(this.instances)
			.sampleJar(settings.sampleJar());
		configure(builder);
		FaultRun run;
		try {
			run = FaultRun.start(this.name, builder, settings);
		}
		catch (RuntimeException ex) {
			return new ScenarioResult(this.name, List.of(), List.of(), List.of(), Optional.empty(),
					Duration.ofNanos(System.nanoTime() - started), ex, null);
		}
		Throwable error = null;
		try {
			exercise(run);
		}
		catch (Exception | AssertionError ex) {
			error = ex;
			run.log("aborted: " + ex);
		}
		return run.finish(error, started);
	}

}
