package dev.failover.demo;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.failover.cluster.SampleJar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the quick demo end to end: a real broker, three sample-app processes, a kill, a
 * restart, a switchover and the ledger check, all of which must hold.
 */
class DemoIT {

	@Test
	void theQuickDemoHoldsEveryCheck() {
		// the reactor packages the sample app before this module: a missing jar is a broken build
		Path jar = SampleJar.find()
			.orElseThrow(() -> new AssertionError("No sample jar in failover-sample-app/target; build it with "
					+ "'mvn -DskipTests -pl failover-sample-app -am package'"));
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8);

		int exitCode = new Demo(new DemoOptions(true, 3, false, jar), out, false).run();

		String output = captured.toString(StandardCharsets.UTF_8);
		assertThat(exitCode).as(output).isZero();
		assertThat(output).contains("All checks held.")
			.contains("[ok] epochs never go down")
			.contains("[ok] every primary the demo saw wrote under its own epoch")
			.doesNotContain("FAILED")
			.doesNotContain("\u001B[");
		assertThat(output.lines().filter((line) -> line.matches("\\s+(crash failover|pause|graceful switchover|ledger check).*")))
			.hasSize(4)
			.allSatisfy((line) -> assertThat(line).contains(" ok "));
		// a killed process is replaced on the probe's evidence, a paused one only after the timeout
		assertThat(output).containsPattern("crash failover .* \\(on the probe's evidence\\)")
			.containsPattern("pause \\(SIGSTOP\\) .* \\(no evidence: waited out the silence\\)");
		// the switchover timed from the two instances' role logs: demotion to promotion
		assertThat(output).containsPattern("role logs: [a-c] was primary -?[0-9.]+ (ms|s) after [a-c] stopped acting")
			.containsPattern("graceful switchover .* stopped -> primary; seen ");
	}

	/** Prints the demo's output as it goes (for the test report) and keeps a copy. */
	private static final class Tee extends OutputStream {

		private final ByteArrayOutputStream first;

		private final PrintStream second;

		Tee(ByteArrayOutputStream first, PrintStream second) {
			this.first = first;
			this.second = second;
		}

		@Override
		public void write(int b) {
			this.first.write(b);
			this.second.write(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			this.first.write(bytes, offset, length);
			this.second.write(bytes, offset, length);
		}

	}

}
