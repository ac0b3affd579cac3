package dev.failover.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchOptionsTest {

	@Test
	void defaultsRunEverySectionTwentyTimes() {
		BenchOptions options = BenchOptions.parse();
		assertThat(options.runs()).isEqualTo(20);
		assertThat(options.sections()).containsExactlyElementsOf(BenchOptions.SECTIONS);
		assertThat(options.ledger()).isTrue();
		assertThat(options.jvm()).isEqualTo(BenchClusters.TIMING_JVM);
		assertThat(options.idle().toSeconds()).isEqualTo(60);
		assertThat(options.settle().toSeconds()).isEqualTo(600);
		assertThat(options.proxied()).isFalse();
	}

	@Test
	void optionsAreParsed() {
		BenchOptions options = BenchOptions.parse("--runs", "5", "--only", "crash,cost", "--no-ledger", "--jvm",
				"-Xmx128m -XX:+UseSerialGC", "--idle-seconds", "10", "--settle-seconds", "90", "--proxied");
		assertThat(options.runs()).isEqualTo(5);
		assertThat(options.sections()).containsExactly("crash", "cost");
		assertThat(options.ledger()).isFalse();
		assertThat(options.jvm()).isEqualTo(List.of("-Xmx128m", "-XX:+UseSerialGC"));
		assertThat(options.idle().toSeconds()).isEqualTo(10);
		assertThat(options.settle().toSeconds()).isEqualTo(90);
		assertThat(options.proxied()).isTrue();
	}

	@Test
	void badOptionsAreRefusedWithTheUsage() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--runs", "0"))
			.withMessageContaining("--runs needs a positive number")
			.withMessageContaining("Usage");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--only", "everything"))
			.withMessageContaining("--only takes");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--fast"))
			.withMessageContaining("Unknown option --fast");
	}

}
