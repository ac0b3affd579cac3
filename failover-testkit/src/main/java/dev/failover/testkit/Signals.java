package dev.failover.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
	 * @throws IllegalStateException if {@code kill} reports an error or takes over 10 s
	 */
	static void send(long pid, String signal) {
		if (System.getProperty("os.name", "").toLowerCase().startsWith("windows")) {
			throw new UnsupportedOperationException("Cannot send SIG" + signal + " on Windows");
		}
		Commands.run(Duration.ofSeconds(10), killProgram(), "-" + signal, Long.toString(pid));
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
