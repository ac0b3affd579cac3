package dev.failover.demo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.failover.testkit.TextTable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TextTable} and {@link Format}.
 */
class TextTableTest {

	@Test
	void alignsColumnsIgnoringColours() {
		Console console = new Console(System.out, true);
		TextTable table = new TextTable("INSTANCE", "ROLE", "EPOCH").row("a", console.green("primary"), "1")
			.row("bb", "secondary", "12");

		String rendered = table.render("> ", (header) -> header).replaceAll("\u001B\\[[0-9;]*m", "");

		assertThat(rendered).isEqualTo("""
				> INSTANCE  ROLE       EPOCH
				> a         primary    1
				> bb        secondary  12""");
	}

	@Test
	void rejectsARowOfTheWrongWidth() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TextTable("A", "B").row("1"));
	}

	@Test
	void noColoursWithoutATerminal() {
		Console console = new Console(System.out, false);

		assertThat(console.green("ok") + console.bold("x")).isEqualTo("okx");
	}

	@Test
	void formatsMeasuredAndConfiguredDurations() {
		assertThat(Format.duration(Duration.ofMillis(27))).isEqualTo("27 ms");
		assertThat(Format.duration(Duration.ofMillis(3412))).isEqualTo("3.41 s");
		assertThat(Format.duration(Duration.ofMillis(21234))).isEqualTo("21.2 s");
		assertThat(Format.duration(Duration.ofSeconds(3))).isEqualTo("3 s");
		assertThat(Format.duration(Duration.ofSeconds(185))).isEqualTo("3 min 5 s");
		assertThat(Format.age(Duration.ofMillis(440))).isEqualTo("0.4 s ago");
		assertThat(Format.records(1)).isEqualTo("1 record");
	}

}
