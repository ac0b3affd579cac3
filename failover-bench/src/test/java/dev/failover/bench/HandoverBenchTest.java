package dev.failover.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The settled-group wait of the handover series: every instance must have run for the
 * settled uptime, counted from its process's start.
 */
class HandoverBenchTest {

	private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	private static final Duration UPTIME = Duration.ofSeconds(60);

	@Test
	void waitsUntilTheYoungestInstanceHasRunForTheUptime() {
		Map<String, Optional<Instant>> starts = new LinkedHashMap<>();
		starts.put("a", Optional.of(NOW.minusSeconds(300)));
		starts.put("b", Optional.of(NOW.minusSeconds(8)));
		starts.put("c", Optional.of(NOW.minusSeconds(45)));

		assertThat(HandoverBench.uptimeWait(starts, UPTIME, NOW)).isEqualTo(Duration.ofSeconds(52));
	}

	@Test
	void doesNotWaitOnceEveryInstanceHasRunForTheUptime() {
		Map<String, Optional<Instant>> starts = Map.of("a", Optional.of(NOW.minusSeconds(61)), "b",
				Optional.of(NOW.minusSeconds(60)));

		assertThat(HandoverBench.uptimeWait(starts, UPTIME, NOW)).isZero();
	}

	@Test
	void refusesToGuessWhenAnInstancesStartIsUnknown() {
		Map<String, Optional<Instant>> starts = new LinkedHashMap<>();
		starts.put("a", Optional.of(NOW.minusSeconds(300)));
		starts.put("b", Optional.empty());

		assertThatIllegalStateException().isThrownBy(() -> HandoverBench.uptimeWait(starts, UPTIME, NOW))
			.withMessageContaining("'b'")
			.withMessageContaining("whether the group has settled");
	}

}
