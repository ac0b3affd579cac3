package dev.failover.sample;

import org.junit.jupiter.api.Test;

import dev.failover.internal.FailoverLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerTailTest {

	@Test
	void stopsAfterTheFailoverLifecycleSoThatClosingItDoesNotCompeteWithTheHandover() {
		// Spring stops higher phases first
		assertThat(new LedgerTail(null, null).getPhase()).isLessThan(FailoverLifecycle.PHASE);
	}

}
