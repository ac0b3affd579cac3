package dev.failover.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcStatsTest {

	@Test
	void readsThisProcesssCpuTimeMemoryAndThreads() {
		assumeTrue(Files.exists(Path.of("/proc/self/stat")), "Linux only");
		// the compiler's share first: it is part of the total read after it
		long compilerTicks = ProcStats.compilerTicks(ProcessHandle.current().pid());
		ProcStats stats = ProcStats.of(ProcessHandle.current().pid());
		assertThat(stats.cpuTicks()).isPositive();
		assertThat(stats.peakRssKb()).isGreaterThanOrEqualTo(stats.rssKb()).isPositive();
		assertThat(stats.threads()).isPositive();
		// a test JVM has compiled something by now, on its compiler threads, within the total
		assertThat(compilerTicks).isPositive().isLessThanOrEqualTo(stats.cpuTicks());
	}

}
