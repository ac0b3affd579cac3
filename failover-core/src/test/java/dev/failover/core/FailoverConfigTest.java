package dev.failover.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FailoverConfigTest {

	@Test
	void defaultsMatchTheOriginalPackage() {
		FailoverConfig config = FailoverConfig.defaults();
		assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(config.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(15));
		assertThat(config.enabled()).isFalse();
		assertThat(config.role()).isEqualTo(Role.PRIMARY);
		assertThat(config.priority()).isZero();
	}

	@Test
	void unsetSettingsAreDerivedFromIntervalAndTimeout() {
		FailoverConfig config = FailoverConfig.builder()
			.heartbeatInterval(Duration.ofSeconds(1))
			.heartbeatTimeout(Duration.ofSeconds(3))
			.build();
		assertThat(config.leaseMargin()).isEqualTo(Duration.ofMillis(600));
		assertThat(config.lease()).isEqualTo(Duration.ofMillis(2400));
		assertThat(config.claimBackoffMin()).isEqualTo(Duration.ofMillis(100));
		assertThat(config.claimBackoffMax()).isEqualTo(Duration.ofSeconds(1));
		assertThat(config.claimStagger()).isEqualTo(Duration.ofMillis(50));
	}

	@Test
	void toBuilderRoundTrips() {
		FailoverConfig config = FailoverConfig.builder()
			.enabled(true)
			.role(Role.SECONDARY)
			.priority(7)
			.signingKey("0123456789abcdef0123")
			.build();
		assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
		assertThat(config.toString()).contains("enabled=true", "role=secondary", "signed=true")
			.doesNotContain("0123456789abcdef");
	}

	@Test
	void timeoutUnderTwiceTheIntervalIsRejectedWithTheFix() {
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder()
				.heartbeatInterval(Duration.ofSeconds(2))
				.heartbeatTimeout(Duration.ofSeconds(3))
				.build())
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("heartbeat-timeout");
				assertThat(ex.getDescription()).contains("3s", "2s", "twice");
				assertThat(ex.getAction()).contains("6s");
			});
	}

	@Test
	void zeroOrNegativeDurationsAreRejected() {
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder().heartbeatInterval(Duration.ZERO).build())
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("heartbeat-interval"));
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder().heartbeatTimeout(Duration.ofSeconds(-1)).build())
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("heartbeat-timeout"));
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder().leaseMargin(Duration.ZERO).build())
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("lease-margin"));
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder().claimBackoffMin(Duration.ofMillis(-5)).build())
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("claim-backoff-min"));
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder().claimStagger(Duration.ofMillis(-1)).build())
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("claim-stagger"));
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder().shutdownTimeout(Duration.ofMillis(-1)).build())
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("shutdown-timeout"));
	}

	@Test
	void leaseThatWouldNotOutlastAnIntervalIsRejected() {
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder()
				.heartbeatInterval(Duration.ofSeconds(5))
				.heartbeatTimeout(Duration.ofSeconds(15))
				.leaseMargin(Duration.ofSeconds(10))
				.build())
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("lease-margin");
				assertThat(ex.getDescription()).contains("15s - 10s = 5s");
				assertThat(ex.getAction()).contains("below 10s");
			});
	}

	@Test
	void otherInconsistentSettingsAreRejected() {
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder()
				.claimBackoffMin(Duration.ofSeconds(2))
				.claimBackoffMax(Duration.ofSeconds(1))
				.build())
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("claim-backoff-max"));
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder().signingKey("short").build())
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("signing-key"));
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder().maxRecordSize(10).build())
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("max-record-size"));
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder().role(null).build())
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("role"));
	}

	@Test
	void messageNamesTheSettingTheProblemAndTheFix() {
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> FailoverConfig.builder().heartbeatInterval(Duration.ofSeconds(-3)).build())
			.withMessage("Invalid failover setting 'heartbeat-interval': heartbeat-interval (-3s) must be positive. "
					+ "Set heartbeat-interval to a positive duration such as 5s or 500ms.");
	}

	@Test
	void emptySigningKeyMeansUnsigned() {
		assertThat(FailoverConfig.builder().signingKey("").build().signingKey()).isNull();
	}

}
