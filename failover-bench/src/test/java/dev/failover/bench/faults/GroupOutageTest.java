package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GroupOutageTest {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void aPrimaryKeptThroughTheFaultIsNoFailoverAndNoOutage() {
		GroupOutage outage = GroupOutage.since(List.of(interval("a", 1, 0, 60_000)), at(10_000));

		assertThat(outage.failovers()).isZero();
		assertThat(outage.longestWithoutPrimary()).isZero();
		assertThat(outage).hasToString("0 failovers, never without a primary");
	}

	@Test
	void theOutageRunsFromTheOldPrimarysLeaseEndToTheNextPromotion() {
		List<PrimaryInterval> intervals = List.of(interval("a", 1, 0, 11_600), interval("c", 2, 19_370, 60_000));

		GroupOutage outage = GroupOutage.since(intervals, at(10_000));

		assertThat(outage.failovers()).isOne();
		assertThat(outage.longestWithoutPrimary()).isEqualTo(Duration.ofMillis(7_770));
		assertThat(outage.toString()).contains("from +1.60 s ('a' epoch 1 ended: LEASE_EXPIRED)",
				"to +9.37 s ('c' promoted at epoch 2)");
	}

	@Test
	void theLongestOfSeveralGapsCountsAndIntervalsBeforeTheFaultDoNot() {
		List<PrimaryInterval> intervals = List.of(interval("x", 1, 0, 5_000), interval("a", 2, 6_000, 12_000),
				interval("b", 3, 13_000, 14_000), interval("a", 4, 17_000, 60_000));

		GroupOutage outage = GroupOutage.since(intervals, at(10_000));

		assertThat(outage.failovers()).isEqualTo(2);
		assertThat(outage.longestWithoutPrimary()).isEqualTo(Duration.ofMillis(3_000));
	}

	@Test
	void noPrimaryAtTheFaultCountsFromTheFault() {
		GroupOutage outage = GroupOutage.since(List.of(interval("a", 1, 0, 9_000), interval("b", 2, 12_000, 60_000)),
				at(10_000));

		assertThat(outage.longestWithoutPrimary()).isEqualTo(Duration.ofMillis(2_000));
		assertThat(outage.toString()).contains("from the fault");
	}

	private static PrimaryInterval interval(String id, long epoch, long startMillis, long endMillis) {
		return new PrimaryInterval(id, epoch, at(startMillis), at(endMillis), "LEASE_EXPIRED");
	}

	private static Instant at(long millis) {
		return T0.plusMillis(millis);
	}

}
