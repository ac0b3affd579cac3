package dev.failover.bench;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SamplesTest {

	@Test
	void percentilesAreNearestRankAndAlwaysMeasuredValues() {
		Samples samples = new Samples();
		for (int i = 20; i >= 1; i--) {
			samples.add(Duration.ofMillis(i));
		}
		assertThat(samples.p50()).isEqualTo(Duration.ofMillis(10));
		assertThat(samples.p90()).isEqualTo(Duration.ofMillis(18));
		assertThat(samples.p99()).isEqualTo(Duration.ofMillis(20));
		assertThat(samples.max()).isEqualTo(Duration.ofMillis(20));
		assertThat(samples.min()).isEqualTo(Duration.ofMillis(1));
	}

	@Test
	void oneSampleIsEveryPercentile() {
		Samples samples = new Samples();
		samples.add(Duration.ofMillis(7));
		assertThat(samples.p50()).isEqualTo(samples.p99()).isEqualTo(Duration.ofMillis(7));
	}

	@Test
	void durationsAreFormattedInSecondsOrMilliseconds() {
		assertThat(Samples.format(Duration.ofMillis(2534))).isEqualTo("2.53 s");
		assertThat(Samples.format(Duration.ofNanos(7_940_000))).isEqualTo("7.9 ms");
	}

}
