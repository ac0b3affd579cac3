package dev.failover.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import dev.failover.core.internal.RateLimitedLog;

class DurationsTest {

	@Test
	void formatsLikeConfiguration() {
		assertThat(Durations.format(Duration.ofSeconds(15))).isEqualTo("15s");
		assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
		assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
		assertThat(Durations.format(Duration.ofMinutes(3))).isEqualTo("3m");
		assertThat(Durations.format(Duration.ofNanos(1500))).isEqualTo("1.5us");
		assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
		assertThat(Durations.format(Duration.ofSeconds(-2))).isEqualTo("-2s");
		assertThat(Durations.format(null)).isEqualTo("null");
		assertThat(Durations.formatNanos(1_000_339_442L)).isEqualTo("1s");
		assertThat(Durations.formatNanos(1_502_600_000L)).isEqualTo("1.503s");
	}

	@Test
	void rateLimitedLogLetsOneLinePerWindowThrough() {
		RateLimitedLog limiter = new RateLimitedLog(1000);
		assertThat(limiter.tryLog("k", 0)).isZero();
		assertThat(limiter.tryLog("k", 10)).isEqualTo(-1);
		assertThat(limiter.tryLog("k", 20)).isEqualTo(-1);
		assertThat(limiter.tryLog("other", 20)).isZero();
		assertThat(limiter.tryLog("k", 1000)).isEqualTo(2);
	}

}
