package dev.failover.cluster;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PromotionLogLine} on lines as the sample application logs them.
 */
class PromotionLogLineTest {

	private static final String PREFIX = "2026-11-27T02:24:05.289Z  INFO 25890 --- [failover-sample] [ilover-sample-a] "
			+ "dev.failover.core.Watcher                : ";

	@Test
	void parsesAPromotionAfterACrash() {
		PromotionLogLine line = PromotionLogLine.parse(PREFIX + "Instance 'a' is now PRIMARY of group 'failover-sample' at "
				+ "epoch 3: primary 'b' (epoch 2) silent for 3.001s (3.008s after the previous primary's last sign of life)")
			.orElseThrow();

		assertThat(line.instanceId()).isEqualTo("a");
		assertThat(line.group()).isEqualTo("failover-sample");
		assertThat(line.epoch()).isEqualTo(3);
		assertThat(line.reason()).isEqualTo("primary 'b' (epoch 2) silent for 3.001s");
		assertThat(line.sinceLastSignOfLife()).contains(Duration.ofMillis(3008));
	}

	@Test
	void parsesAPromotionAfterAHandover() {
		PromotionLogLine line = PromotionLogLine.parse(PREFIX + "Instance 'b' is now PRIMARY of group 'failover-sample' at "
				+ "epoch 2: primary 'a' left epoch 1 (12ms after the previous primary's last sign of life)")
			.orElseThrow();

		assertThat(line.reason()).isEqualTo("primary 'a' left epoch 1");
		assertThat(line.sinceLastSignOfLife()).contains(Duration.ofMillis(12));
	}

	@Test
	void aFirstPrimaryHasNoPredecessor() {
		PromotionLogLine line = PromotionLogLine.parse(PREFIX + "Instance 'a' is now PRIMARY of group 'failover-sample' at "
				+ "epoch 1: the group had no primary")
			.orElseThrow();

		assertThat(line.reason()).isEqualTo("the group had no primary");
		assertThat(line.sinceLastSignOfLife()).isEmpty();
	}

	@Test
	void otherLinesAreNotPromotions() {
		assertThat(PromotionLogLine.parse(PREFIX + "Instance 'a' claims epoch 3 of group 'failover-sample'")).isEmpty();
	}

	@Test
	void thePatternOfOneEpochFindsOnlyThatEpoch() {
		String line = "Instance 'a' is now PRIMARY of group 'g' at epoch 12: x";

		assertThat(PromotionLogLine.of("a", 12).matcher(line).find()).isTrue();
		assertThat(PromotionLogLine.of("a", 1).matcher(line).find()).isFalse();
		assertThat(PromotionLogLine.of("b", 12).matcher(line).find()).isFalse();
	}

}
