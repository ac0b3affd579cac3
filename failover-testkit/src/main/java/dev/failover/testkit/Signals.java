package dev.failover.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Sends POSIX signals the JDK has no API for ({@code SIGSTOP}, {@code SIGCONT}) through the
 * system's {@code kill} program.
 */
final class Signals {

	private static final String[] KILL_PROGRAMS = { "/bin/kill", "/usr/bin/kill" };

	private Signals() {
	}

	/**
	 * Sends a signal to a process and waits for {@code kill} to confirm it.
	 * @param pid the target process
	 * @param signal the signal name without {@code SIG}, such as {@code STOP}
	 * @throws UnsupportedOperationException on Windows
	 * @throws IllegalStateException if {@code kill} reports an error
	 */
	static void send(long pid, String signal) {
		if (System.getProperty("os.name", "").toLowerCase().startsWith("windows")) {
			throw new UnsupportedOperationException("Cannot send SIG" + signal + " on Windows");
		}
		ProcessBuilder builder = new ProcessBuilder(killProgram(), "-" + signal, Long.toString(pid))
			.redirectErrorStream(true);
		try {
			Process kill = builder.start();
			String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!kill.waitFor(10, TimeUnit.SECONDS)) {
				kill.destroyForcibly();
				throw new IllegalStateException("kill -" + signal + " " + pid + " did not finish in 10 s");
			}
			if (kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + pid + " failed with exit code "
						+ kill.exitValue() + ": " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run kill -" + signal + " " + pid, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while sending SIG" + signal + " to " + pid, ex);
		}
	}

	private static String killProgram() {
		for (String program : KILL_PROGRAMS) {
			if (Files.isExecutable(Path.of(program))) {
				return program;
			}
		}
		// rely on PATH as a last resort
		return "kill";
	}

}
