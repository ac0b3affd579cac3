package dev.failover.testkit;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CommandsTest {

	@Test
	void returnsWhatAJdkToolPrinted() {
		// java -version prints on standard error, which is collected too
		assertThat(Commands.runJdkTool(Duration.ofSeconds(30), "java", "-version")).contains("version");
	}

	@Test
	void aFailingProgramIsReportedWithItsExitCodeAndOutput() {
		assertThatIllegalStateException()
			.isThrownBy(() -> Commands.runJdkTool(Duration.ofSeconds(30), "java", "-no-such-option"))
			.withMessageContaining("failed with exit code")
			.withMessageContaining("-no-such-option");
	}

	@Test
	void aProgramThatDoesNotFinishInTimeIsKilledAndReported() {
		long started = System.nanoTime();
		assertThatIllegalStateException()
			.isThrownBy(() -> Commands.runJdkTool(Duration.ofMillis(300), "java", "-cp",
					System.getProperty("java.class.path"), ChildMain.class.getName(), "tick"))
			.withMessageContaining("did not finish in 300 ms");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
	}

}
