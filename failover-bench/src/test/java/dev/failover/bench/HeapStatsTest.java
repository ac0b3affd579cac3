package dev.failover.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

class HeapStatsTest {

	// printed by JDK 17's jstat -gc for a G1 JVM right after a full collection
	private static final String G1 = """
			    S0C         S1C         S0U         S1U          EC           EU           OC           OU          MC         MU       CCSC      CCSU     YGC     YGCT     FGC    FGCT     CGC    CGCT       GCT
			        0.0         0.0         0.0         0.0       8192.0          0.0      49152.0       5957.2     9088.0     8942.5    1152.0    1062.4      0     0.000     1     0.012     0     0.000     0.012
			""";

	// and for a Serial JVM, whose concurrent-collection columns are dashes
	private static final String SERIAL = """
			    S0C         S1C         S0U         S1U          EC           EU           OC           OU          MC         MU       CCSC      CCSU     YGC     YGCT     FGC    FGCT     CGC    CGCT       GCT
			    12864.0     12864.0       512.0         0.0     103296.0      18593.8     258048.0       1024.0        0.0        0.0       0.0       0.0      0     0.000     0     0.000     -         -     0.000
			""";

	@Test
	void sumsTheUsedSurvivorEdenAndOldSpacesAndLeavesMetaspaceOut() {
		assertThat(HeapStats.usedMb(G1)).isCloseTo(5957.2 / 1024, within(1e-9));
		assertThat(HeapStats.usedMb(SERIAL)).isCloseTo((512.0 + 18593.8 + 1024.0) / 1024, within(1e-9));
	}

	@Test
	void refusesOutputWithoutTheUsedColumns() {
		assertThatIllegalStateException().isThrownBy(() -> HeapStats.usedMb("Could not attach to 4242"))
			.withMessageContaining("no values");
		assertThatIllegalStateException()
			.isThrownBy(() -> HeapStats.usedMb("S0C S1C S0U S1U EC EU\n0.0 0.0 0.0 0.0 1.0 2.0"))
			.withMessageContaining("column OU");
	}

	@Test
	void readsARunningJvm() {
		// this test's own JVM: it has objects on its heap, and less than its maximum
		double used = HeapStats.usedMb(ProcessHandle.current().pid());
		assertThat(used).isPositive().isLessThanOrEqualTo(Runtime.getRuntime().maxMemory() / 1024.0 / 1024);
	}

}
