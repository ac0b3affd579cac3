package dev.failover.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A child JVM ({@code java -cp … Main} or {@code java -jar …}) whose output goes to a log
 * file, with the controls fault tests need: kill, terminate, pause and resume, and waiting
 * for a log line.
 * <p>
 * A child never outlives the JVM that started it: a shutdown hook ends every child still
 * running when this JVM exits (including on Ctrl-C), and unless disabled an agent in the
 * child halts it when this JVM dies without running hooks (see {@link OrphanGuard}).
 * <pre class="code">
 * JavaProcess app = JavaProcess.builder("app-1")
 *     .jar(appJar)
 *     .args("--spring.kafka.bootstrap-servers=" + broker.bootstrapServers("INST1"))
 *     .logFile(dir.resolve("app-1.log"))
 *     .start();
 * app.awaitLogLine("Started", Duration.ofSeconds(60));
 * app.pause();   // a stalled JVM
 * app.resume();
 * app.kill();    // kill -9
 * </pre>
 * <p>
 * Instances are thread-safe.
 */
public final class JavaProcess implements AutoCloseable {

	private static final Duration KILL_WAIT = Duration.ofSeconds(30);

	private static final long POLL_MILLIS = 50;

	private static final int TAIL_LINES = 40;

	private final String name;

	private final Process process;

	private final Path logFile;

	private final long logStart;

	private final Duration exitGrace;

	private volatile boolean paused;

	JavaProcess(String name, Process process, Path logFile, long logStart, Duration exitGrace) {
		this.name = name;
		this.process = process;
		this.logFile = logFile;
		this.logStart = logStart;
		this.exitGrace = exitGrace;
	}

	/**
	 * Returns a builder for a child JVM.
	 * @param name a short name used in thread names, log headers and error messages
	 * @return a new builder
	 */
	public static JavaProcessBuilder builder(String name) {
		return new JavaProcessBuilder(name);
	}

	/**
	 * Returns the name given to the builder.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns the operating-system process id.
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Returns whether the process is still running (a paused process is running).
	 * @return {@code true} until the process has exited
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Returns whether {@link #pause()} was called without a later {@link #resume()}.
	 * @return {@code true} while paused
	 */
	public boolean isPaused() {
		return this.paused && isAlive();
	}

	/**
	 * Returns the exit code, once the process has exited.
	 * @return the exit code (143 after {@code SIGTERM}, 137 after {@code SIGKILL}), or empty
	 * while running
	 */
	public OptionalInt exitCode() {
		return this.process.isAlive() ? OptionalInt.empty() : OptionalInt.of(this.process.exitValue());
	}

	/**
	 * Waits for the process to exit.
	 * @param timeout the longest time to wait
	 * @return {@code true} if the process has exited
	 */
	public boolean waitFor(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout must not be null");
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + this + " to exit", ex);
		}
	}

	/**
	 * Kills the process and its descendants with {@code SIGKILL} and waits until it is gone.
	 * Does nothing if it has already exited.
	 * @throws IllegalStateException if the process is still alive after 30 s
	 */
	public void kill() {
		List<ProcessHandle> descendants = this.process.descendants().toList();
		this.process.destroyForcibly();
		descendants.forEach(ProcessHandle::destroyForcibly);
		this.paused = false;
		if (!waitFor(KILL_WAIT)) {
			throw new IllegalStateException(this + " is still alive " + KILL_WAIT.toSeconds() + " s after SIGKILL");
		}
	}

	/**
	 * Asks the process to exit with {@code SIGTERM} (resuming it first if paused, because a
	 * stopped process does not act on signals) and waits; kills it if it does not exit in time.
	 * @param timeout how long to wait for a graceful exit
	 * @return {@code true} if it exited within the timeout, {@code false} if it had to be killed
	 */
	public boolean terminate(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout must not be null");
		if (!isAlive()) {
			return true;
		}
		if (this.paused) {
			resume();
		}
		this.process.destroy();
		if (waitFor(timeout)) {
			return true;
		}
		kill();
		return false;
	}

	/**
	 * Freezes the process with {@code SIGSTOP}, like a long GC pause or a stalled VM: its
	 * sockets stay open but it does nothing.
	 * @throws UnsupportedOperationException on Windows
	 * @throws IllegalStateException if the process has exited
	 */
	public void pause() {
		requireAlive("pause");
		Signals.send(pid(), "STOP");
		this.paused = true;
	}

	/**
	 * Lets a paused process continue with {@code SIGCONT}.
	 * @throws UnsupportedOperationException on Windows
	 * @throws IllegalStateException if the process has exited
	 */
	public void resume() {
		requireAlive("resume");
		Signals.send(pid(), "CONT");
		this.paused = false;
	}

	/**
	 * Waits for a line of this process's output that contains the given text.
	 * @param text the literal text to look for
	 * @param timeout the longest time to wait
	 * @return the first matching line
	 * @see #awaitLogLine(Pattern, Duration)
	 */
	public String awaitLogLine(String text, Duration timeout) {
		return awaitLogLine(Pattern.compile(Pattern.quote(text)), timeout);
	}

	/**
	 * Waits for a line of this process's output, written at any time since it started, in
	 * which the pattern is found.
	 * @param pattern the pattern, matched with {@link java.util.regex.Matcher#find()}
	 * @param timeout the longest time to wait
	 * @return the first matching line
	 * @throws IllegalStateException on timeout, or if the process exits first; the message
	 * holds the last lines of the log
	 */
	public String awaitLogLine(Pattern pattern, Duration timeout) {
		return awaitLogLineAfter(this.logStart, pattern, timeout);
	}

	/**
	 * Waits for a line written after a position of the log, such as one taken with
	 * {@link #logPosition()} just before injecting a fault.
	 * @param position the byte offset in the log file to start from
	 * @param pattern the pattern, matched with {@link java.util.regex.Matcher#find()}
	 * @param timeout the longest time to wait
	 * @return the first matching line
	 * @throws IllegalStateException on timeout, or if the process exits first
	 */
	public String awaitLogLineAfter(long position, Pattern pattern, Duration timeout) {
		Objects.requireNonNull(pattern, "pattern must not be null");
		Objects.requireNonNull(timeout, "timeout must not be null");
		LogScanner scanner = new LogScanner(this.logFile, position);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			// read the exit state before scanning, so a line written just before exiting is seen
			boolean exited = !isAlive();
			Optional<String> line = scanner.next(pattern);
			if (line.isPresent()) {
				return line.get();
			}
			if (exited) {
				throw new IllegalStateException(this + " exited with code " + this.process.exitValue()
						+ " before logging a line matching '" + pattern + "'; last lines of " + this.logFile
						+ ":\n" + logTail(TAIL_LINES));
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("No line matching '" + pattern + "' from " + this + " within "
						+ timeout.toMillis() + " ms; last lines of " + this.logFile + ":\n" + logTail(TAIL_LINES));
			}
			sleep();
		}
	}

	/**
	 * Returns the current end of the log file, to wait for lines written after this moment.
	 * @return the byte offset
	 */
	public long logPosition() {
		return LogScanner.size(this.logFile);
	}

	/**
	 * Returns the file that receives the process's standard output and error.
	 * @return the log file
	 */
	public Path logFile() {
		return this.logFile;
	}

	/**
	 * Returns the last lines of the log, for diagnostics.
	 * @param lines the maximum number of lines
	 * @return the lines, joined with newlines
	 */
	public String logTail(int lines) {
		return LogScanner.tail(this.logFile, lines);
	}

	/**
	 * Kills the process if it is still running.
	 */
	@Override
	public void close() {
		if (isAlive()) {
			kill();
		}
	}

	@Override
	public String toString() {
		return "process '" + this.name + "' (pid " + pid() + ")";
	}

	/** First half of ending this process at JVM exit: send the signal, do not wait. */
	void beginExit() {
		if (!isAlive()) {
			return;
		}
		if (this.exitGrace.isZero()) {
			this.process.descendants().forEach(ProcessHandle::destroyForcibly);
			this.process.destroyForcibly();
			return;
		}
		if (this.paused) {
			Signals.send(pid(), "CONT");
		}
		this.process.destroy();
	}

	/** Second half of ending this process at JVM exit: wait out the grace, then kill. */
	void finishExit() {
		if (!waitFor(this.exitGrace)) {
			this.process.destroyForcibly();
		}
		waitFor(Duration.ofSeconds(5));
	}

	private void requireAlive(String action) {
		if (!isAlive()) {
			throw new IllegalStateException("Cannot " + action + " " + this + ": it exited with code "
					+ this.process.exitValue());
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(POLL_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a log line", ex);
		}
	}

}
