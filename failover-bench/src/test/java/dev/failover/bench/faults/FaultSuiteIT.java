package dev.failover.bench.faults;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.failover.cluster.SampleJar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shortened fault suite on real processes: a killed primary, a paused primary whose
 * late writes are fenced, a primary cut off the broker, a broker crash, switchovers, hostile
 * records on a signed group, and invalid settings refused at startup. The full suite is
 * {@code scripts/fault-suite.sh}.
 */
class FaultSuiteIT {

	@Test
	void everyQuickScenarioKeepsOnePrimaryAndRecovers() {
		// the reactor packages the sample app before this module: a missing jar is a broken build
		Path jar = SampleJar.find()
			.orElseThrow(() -> new AssertionError("No sample jar in failover-sample-app/target; build it with "
					+ "'mvn -DskipTests -pl failover-sample-app -am package'"));
		List<ScenarioResult> results = FaultSuite.run(Scenarios.quick(),
				new SuiteSettings(jar.toAbsolutePath(), false, System.out));
		assertThat(results).hasSameSizeAs(Scenarios.quick());
		assertThat(results).allSatisfy((result) -> assertThat(result.failures()).as(result.name()).isEmpty());
	}

}
