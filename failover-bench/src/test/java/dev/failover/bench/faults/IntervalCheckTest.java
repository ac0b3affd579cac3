package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.failover.cluster.RoleLogEntry;

import static org.assertj.core.api.Assertions.assertThat;

class IntervalCheckTest {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void aCleanCrashFailoverHasNoViolationAndItsGapIsTheTimeWithoutPrimary() {
		ProcessHistory history = new ProcessHistory();
		history.started("a", at(0));
		history.started("b", at(0));
		history.ended("a", at(5_000), ProcessHistory.Ending.KILLED);
		Map<String, List<RoleLogEntry>> logs = new LinkedHashMap<>();
		logs.put("a", List.of(promotion("a", 1, 1_000)));
		logs.put("b", List.of(promotion("b", 2, 7_500), demotion("b", 2, 9_000, "SHUTDOWN")));

		IntervalCheck check = IntervalCheck.of(logs, history, at(10_000));

		assertThat(check.violations()).isEmpty();
		assertThat(check.intervals()).extracting(PrimaryInterval::instanceId).containsExactly("a", "b");
		assertThat(check.intervals().get(0).end()).isEqualTo(at(5_000));
		assertThat(check.intervals().get(0).endedBy()).isEqualTo("SIGKILL");
		assertThat(check.smallestGap()).contains(Duration.ofMillis(2_500));
	}

	@Test
	void aKilledPrimaryWhoseSuccessorStartedBeforeTheKillIsTwoPrimariesAtOnce() {
		ProcessHistory history = new ProcessHistory();
		history.started("a", at(0));
		history.started("b", at(0));
		history.ended("a", at(5_000), ProcessHistory.Ending.KILLED);
		Map<String, List<RoleLogEntry>> logs = new LinkedHashMap<>();
		logs.put("a", List.of(promotion("a", 1, 1_000)));
		logs.put("b", List.of(promotion("b", 2, 4_999)));

		IntervalCheck check = IntervalCheck.of(logs, history, at(10_000));

		assertThat(check.violations()).singleElement().asString().startsWith("two primaries at once");
	}

	@Test
	void aDemotionDatedAfterTheSuccessorsPromotionIsAnOverlap() {
		ProcessHistory history = new ProcessHistory();
		history.started("a", at(0));
		history.started("b", at(0));
		Map<String, List<RoleLogEntry>> logs = new LinkedHashMap<>();
		logs.put("a", List.of(promotion("a", 1, 1_000), demotion("a", 1, 3_001, "LEASE_EXPIRED")));
		logs.put("b", List.of(promotion("b", 2, 3_000)));

		assertThat(IntervalCheck.of(logs, history, at(10_000)).violations()).hasSize(1);
	}

	@Test
	void aLaterPrimaryWithALowerEpochBreaksTheEpochRule() {
		ProcessHistory history = new ProcessHistory();
		history.started("a", at(0));
		history.started("b", at(0));
		Map<String, List<RoleLogEntry>> logs = new LinkedHashMap<>();
		logs.put("a", List.of(promotion("a", 3, 1_000), demotion("a", 3, 2_000, "STEPPED_DOWN")));
		logs.put("b", List.of(promotion("b", 2, 2_500), demotion("b", 2, 3_000, "STEPPED_DOWN")));

		assertThat(IntervalCheck.of(logs, history, at(10_000)).violations())
			.anySatisfy((violation) -> assertThat(violation).startsWith("epochs did not go up"));
	}

	@Test
	void aRestartedInstancesPromotionsAreSplitByItsRuns() {
		ProcessHistory history = new ProcessHistory();
		history.started("a", at(0));
		history.ended("a", at(2_000), ProcessHistory.Ending.KILLED);
		history.started("a", at(3_000));
		Map<String, List<RoleLogEntry>> logs = Map.of("a",
				List.of(promotion("a", 1, 1_000), promotion("a", 2, 6_000), demotion("a", 2, 7_000, "SHUTDOWN")));

		IntervalCheck check = IntervalCheck.of(logs, history, at(10_000));

		assertThat(check.violations()).isEmpty();
		assertThat(check.intervals()).extracting(PrimaryInterval::end).containsExactly(at(2_000), at(7_000));
	}

	private static Instant at(long millis) {
		return T0.plusMillis(millis);
	}

	private static RoleLogEntry promotion(String id, long epoch, long millis) {
		return new RoleLogEntry(id, "secondary", "primary", epoch, "PRIMARY_SILENT", at(millis), 3000);
	}

	private static RoleLogEntry demotion(String id, long epoch, long millis, String cause) {
		return new RoleLogEntry(id, "primary", "secondary", epoch, cause, at(millis), -1);
	}

}
