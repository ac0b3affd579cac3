package dev.failover.cluster;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DurationText}.
 */
class DurationTextTest {

	@Test
	void parsesEveryUnitTheStarterPrints() {
		assertThat(DurationText.parse("1s")).isEqualTo(Duration.ofSeconds(1));
		assertThat(DurationText.parse("3.008s")).isEqualTo(Duration.ofMillis(3008));
		assertThat(DurationText.parse("200ms")).isEqualTo(Duration.ofMillis(200));
		assertThat(DurationText.parse("1.5ms")).isEqualTo(Duration.ofNanos(1_500_000));
		assertThat(DurationText.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
		assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
		assertThat(DurationText.parse("0s")).isZero();
	}

	@Test
	void rejectsOtherText() {
		assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse("PT1S"))
			.withMessage("text must be a duration such as 200ms or 3.008s, was PT1S");
		assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse(null));
	}

}
