package dev.failover.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CyclePhasesTest {

	private static final Duration SECOND = Duration.ofSeconds(1);

	@Test
	void strikesOnceInEachSliceOfTheCycle() {
		CyclePhases phases = CyclePhases.stratified(20, SECOND, new Random(7));
		List<Duration> offsets = phases.offsets();
		assertThat(offsets).hasSize(20);
		boolean[] hit = new boolean[20];
		for (Duration offset : offsets) {
			assertThat(offset).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(SECOND);
			int slice = (int) (offset.toMillis() / 50);
			assertThat(hit[slice]).as("slice %d struck twice", slice).isFalse();
			hit[slice] = true;
		}
	}

	@Test
	void takesTheSlicesInRandomOrder() {
		List<Duration> one = CyclePhases.stratified(20, SECOND, new Random(1)).offsets();
		List<Duration> other = CyclePhases.stratified(20, SECOND, new Random(2)).offsets();
		assertThat(one).isNotEqualTo(one.stream().sorted().toList());
		assertThat(one).isNotEqualTo(other);
	}

	@Test
	void theMedianOfTheSeriesIsWithinHalfASliceOfTheCyclesMiddle() {
		// a crash failover from the kill takes a fixed time minus the phase: its median is the
		// fixed time minus the median phase, whatever the seed
		for (long seed = 0; seed < 200; seed++) {
			List<Duration> sorted = CyclePhases.stratified(20, SECOND, new Random(seed)).offsets().stream().sorted().toList();
			Duration nearestRankMedian = sorted.get(9);
			assertThat(nearestRankMedian).isBetween(Duration.ofMillis(450), Duration.ofMillis(500));
		}
	}

	@Test
	void targetIsTheFirstPointAtTheOffsetAfterAHeartbeatThatLeavesTheLead() {
		Instant heartbeat = Instant.parse("2026-11-27T12:00:00Z");
		Duration offset = Duration.ofMillis(300);
		// read 100 ms after the heartbeat: 300 ms after it is 200 ms away, just enough
		assertThat(CyclePhases.target(heartbeat, SECOND, offset, heartbeat.plusMillis(100)))
			.isEqualTo(heartbeat.plusMillis(300));
		// read 101 ms after it: the next heartbeat's 300 ms
		assertThat(CyclePhases.target(heartbeat, SECOND, offset, heartbeat.plusMillis(101)))
			.isEqualTo(heartbeat.plusMillis(1300));
		// read 2.95 s after it (a status answered slowly): three cycles on
		assertThat(CyclePhases.target(heartbeat, SECOND, offset, heartbeat.plusMillis(2950)))
			.isEqualTo(heartbeat.plusMillis(3300));
	}

	@Test
	void targetKeepsTheOffsetIntoTheCycle() {
		Instant heartbeat = Instant.parse("2026-11-27T12:00:00.123456789Z");
		Random random = new Random(3);
		for (int i = 0; i < 1000; i++) {
			Duration offset = Duration.ofNanos(random.nextLong(SECOND.toNanos()));
			Instant now = heartbeat.plusNanos(random.nextLong(5 * SECOND.toNanos()));
			Instant target = CyclePhases.target(heartbeat, SECOND, offset, now);
			assertThat(Duration.between(now, target)).isGreaterThanOrEqualTo(CyclePhases.LEAD)
				.isLessThan(CyclePhases.LEAD.plus(SECOND));
			assertThat(Duration.between(heartbeat, target).minus(offset).toNanos() % SECOND.toNanos()).isZero();
		}
	}

	@Test
	void aSeriesNeedsRuns() {
		assertThatIllegalArgumentException().isThrownBy(() -> CyclePhases.stratified(0, SECOND, new Random()))
			.withMessageContaining("runs");
	}

}
