package dev.failover.bench.faults;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryTableTest {

	private static final Duration BOUND = Duration.ofSeconds(5);

	@Test
	void oneLinePerScenarioThenEveryFailure() {
		ScenarioResult passed = new ScenarioResult("kill-primary", List.of(Check.of("one primary", true, "ok")),
				List.of(new Recovery("kill", "the SIGKILL", Duration.ofMillis(2512), BOUND, "b", 2)), List.of(),
				Optional.of(Duration.ofMillis(2490)), Duration.ofSeconds(21), null, null);
		ScenarioResult failed = new ScenarioResult("cut-primary", List.of(Check.of("one primary", false, "overlap")),
				List.of(new Recovery("cut", "the cut", Duration.ofMillis(6000), BOUND, "b", 2)), List.of("a note"),
				Optional.empty(), Duration.ofSeconds(30), null, null);

		String summary = SummaryTable.render(List.of(passed, failed));

		assertThat(passed.passed()).isTrue();
		assertThat(failed.passed()).isFalse();
		assertThat(summary).contains("kill-primary  PASS", "2.51 s from the SIGKILL (5.00 s)", "cut-primary   FAIL",
				"1 of 2 scenarios passed", "cut-primary: one primary: overlap", "recovery too slow", "cut-primary: a note");
	}

	@Test
	void aPrimaryKeptIsNoRecoveryToTime() {
		Recovery kept = new Recovery("kill of a secondary", "-", null, BOUND, "a", 1);
		assertThat(kept.withinBound()).isTrue();
		assertThat(kept.toString()).contains("primary kept");
	}

	@Test
	void logLineTimestampsAreRead() {
		assertThat(MaintenanceScenarios.timestamp("2026-11-27T03:18:25.512Z  INFO 27587 --- [main] x : y"))
			.hasToString("2026-11-27T03:18:25.512Z");
		assertThat(MaintenanceScenarios.timestamp("2026-11-27T03:18:25.512+01:00  INFO 1 --- y"))
			.hasToString("2026-11-27T02:18:25.512Z");
	}

}
