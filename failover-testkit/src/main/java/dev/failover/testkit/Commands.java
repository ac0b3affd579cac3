package dev.failover.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived program of the system or of the JDK (such as {@code kill} or
 * {@code jcmd}) and waits for it, bounded.
 */
public final class Commands {

	private Commands() {
	}

	/**
	 * Runs a program to its end.
	 * @param timeout how long it may take
	 * @param command the program and its arguments
	 * @return what it printed (standard output and error), trimmed
	 * @throws IllegalStateException if it fails, or does not finish in time (it is then killed)
	 * @throws UncheckedIOException if it cannot be started
	 */
	public static String run(Duration timeout, String... command) {
		String text = String.join(" ", command);
		Path output = null;
		try {
			// a file, not a pipe: a program that hangs cannot hold the caller past the timeout
			output = Files.createTempFile("command-", ".out");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(text + " did not finish in " + timeout.toMillis() + " ms");
			}
			String printed = Files.readString(output, StandardCharsets.UTF_8).trim();
			if (process.exitValue() != 0) {
				throw new IllegalStateException(text + " failed with exit code " + process.exitValue() + ": " + printed);
			}
			return printed;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot run " + text, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + text, ex);
		}
		finally {
			if (output != null) {
				output.toFile().delete();
			}
		}
	}

	/**
	 * Runs a program of the JDK that runs this code, such as {@code jcmd}.
	 * @param timeout how long it may take
	 * @param tool the program's name in the JDK's {@code bin} directory
	 * @param args its arguments
	 * @return what it printed, trimmed
	 * @throws IllegalStateException if it fails, or does not finish in time
	 */
	public static String runJdkTool(Duration timeout, String tool, String... args) {
		List<String> command = new ArrayList<>();
		command.add(jdkTool(tool).toString());
		command.addAll(List.of(args));
		return run(timeout, command.toArray(String[]::new));
	}

	/**
	 * Returns the path of a program of the JDK that runs this code.
	 * @param tool the program's name in the JDK's {@code bin} directory, such as {@code java}
	 * @return its path
	 */
	public static Path jdkTool(String tool) {
		return Path.of(System.getProperty("java.home"), "bin", tool);
	}

}
