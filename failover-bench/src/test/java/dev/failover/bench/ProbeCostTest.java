package dev.failover.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProbeCostTest {

	@Test
	void theProbesMemoryIsJudgedOnTheMediansOfSeveralSecondariesSoThatOneOddInstanceDoesNotDecideIt() {
		// one secondary without the probe 10 MiB heavier than its twins: the medians ignore it
		assertThat(ProbeCostBench.median(List.of(425.0, 428.0, 427.0)) - ProbeCostBench.median(List.of(437.0, 426.5, 427.0)))
			.isCloseTo(0.0, within(1e-9));
		assertThat(ProbeCostBench.median(List.of(4.0, 1.0, 3.0, 2.0))).isCloseTo(2.5, within(1e-9));
		assertThat(ProbeCostBench.PAIRS).as("a median needs three on each side at least").isGreaterThanOrEqualTo(3);
	}

	@Test
	void theReportNamesHowManyInstancesEachSideHadAndTheirSpread() {
		ProbeCostBench.Result result = new ProbeCostBench.Result(0.0, 0.0, 1, 2, 0.1, 3.4, 8.8, 120);
		assertThat(result.toString()).contains("+0.1 MiB between the medians (spread 3.4 and 8.8 MiB)");
	}

}
