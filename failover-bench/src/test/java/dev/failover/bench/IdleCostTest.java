package dev.failover.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdleCostTest {

	@Test
	void theCostRunsFixTheHeapAtTheMaximumGivenAndTouchItAtStartUp() {
		assertThat(IdleCostBench.fixedHeap(List.of("-Xmx256m")))
			.containsExactly("-Xmx256m", "-Xms256m", "-XX:+AlwaysPreTouch");
		// the JVM takes the last -Xmx, and the appended -Xms overrides one given earlier
		assertThat(IdleCostBench.fixedHeap(List.of("-Xms64m", "-Xmx128m", "-XX:+UseSerialGC", "-Xmx512m")))
			.containsExactly("-Xms64m", "-Xmx128m", "-XX:+UseSerialGC", "-Xmx512m", "-Xms512m", "-XX:+AlwaysPreTouch");
		// without a maximum, the JVM's default one (a quarter of the RAM) would be touched: a fixed one instead
		assertThat(IdleCostBench.fixedHeap(List.of("-XX:+UseSerialGC")))
			.containsExactly("-XX:+UseSerialGC", "-Xmx256m", "-Xms256m", "-XX:+AlwaysPreTouch");
	}

	@Test
	void theExtraMemoryOfFailoverIsWhatItUsesOutsideTheHeapPlusItsLiveHeapAndNotItsPeak() {
		IdleCost baseline = new IdleCost("baseline: failover off", 0.5, 0.4, 0.1, 430.0, 400.0, 20.0, 39);
		// a peak 40 MiB above the baseline's: freed native memory the C library kept, not judged
		IdleCost lean = new IdleCost("idle primary", 0.9, 0.7, 0.2, 470.0, 420.0, 29.5, 45);
		IdleCost heavy = new IdleCost("idle secondary", 0.9, 0.7, 0.2, 440.0, 420.0, 30.5, 45);
		BenchReport report = new BenchReport("test");
		report.cost(new IdleCostBench.Result(List.of(lean, heavy, baseline), 1.0, 2.0, 60, 30, 180, 600, true,
				List.of("-Xmx256m", "-Xms256m", "-XX:+AlwaysPreTouch")));
		Targets.evaluate(report);
		String markdown = report.markdown();
		// 20 MiB outside the heap and 9.5 MiB of live heap: under 30; with 10.5 MiB of live heap: over
		assertThat(markdown).contains("| idle primary, extra memory | < 30 MB | +29.5 MiB: +20.0 MiB resident outside "
				+ "the heap, +9.5 MiB live heap (peak RSS +40.0 MiB) | met |");
		assertThat(markdown).contains("| idle secondary, extra memory | < 30 MB | +30.5 MiB: +20.0 MiB resident "
				+ "outside the heap, +10.5 MiB live heap (peak RSS +10.0 MiB) | MISSED |");
		assertThat(markdown)
			.contains("| primary minus baseline | 0.40 % | 0.30 % | 0.10 % | 40.0 MiB | 20.0 MiB | 9.5 MiB | 6 |");
		assertThat(markdown).contains("All three run with `-Xmx256m -Xms256m -XX:+AlwaysPreTouch`");
	}

}
