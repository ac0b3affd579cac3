package dev.failover.demo;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DemoOptions}.
 */
class DemoOptionsTest {

	@Test
	void defaultsToAFullRunOfThreeInstances() {
		assertThat(DemoOptions.parse()).isEqualTo(new DemoOptions(false, 3, false, null));
	}

	@Test
	void parsesEveryOption() {
		assertThat(DemoOptions.parse("--quick", "--instances", "4", "--keep", "--sample-jar", "app.jar"))
			.isEqualTo(new DemoOptions(true, 4, true, Path.of("app.jar")));
		assertThat(DemoOptions.parse("--instances=2").instances()).isEqualTo(2);
	}

	@Test
	void helpReturnsNoOptions() {
		assertThat(DemoOptions.parse("--quick", "--help")).isNull();
	}

	@Test
	void rejectsBadOptionsByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--instances", "1"))
			.withMessage("--instances must be 2 to 9, was 1");
		assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--instances", "three"))
			.withMessage("--instances must be a number, was three");
		assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--instances"))
			.withMessage("--instances needs a value");
		assertThatIllegalArgumentException().isThrownBy(() -> DemoOptions.parse("--fast"))
			.withMessage("unknown option --fast");
	}

}
