package dev.failover.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A builder for a {@link JavaProcess}: either a main class with a classpath, or a jar.
 */
public final class JavaProcessBuilder {

	private final String name;

	private String mainClass;

	private String classpath;

	private Path jar;

	private final List<String> jvmArgs = new ArrayList<>();

	private final List<String> args = new ArrayList<>();

	private final Map<String, String> env = new LinkedHashMap<>();

	private Path workingDirectory;

	private Path logFile;

	private Duration exitGrace = Duration.ZERO;

	private boolean orphanGuard = true;

	private Path javaExecutable = Commands.jdkTool("java");

	JavaProcessBuilder(String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("name must not be blank");
		}
		this.name = name;
	}

	/**
	 * Runs {@code java -cp <classpath> <mainClass>}.
	 * @param mainClass the fully qualified main class
	 * @param classpath the classpath, entries separated by the platform path separator
	 * @return this builder
	 */
	public JavaProcessBuilder mainClass(String mainClass, String classpath) {
		this.mainClass = requireText(mainClass, "mainClass");
		this.classpath = requireText(classpath, "classpath");
		return this;
	}

	/**
	 * Runs {@code java -jar <jar>}, such as a Spring Boot fat jar.
	 * @param jar the executable jar
	 * @return this builder
	 */
	public JavaProcessBuilder jar(Path jar) {
		this.jar = Objects.requireNonNull(jar, "jar must not be null");
		return this;
	}

	/**
	 * Adds options for the JVM, such as {@code -Xmx256m} or {@code -Dkey=value}.
	 * @param jvmArgs the options, in order
	 * @return this builder
	 */
	public JavaProcessBuilder jvmArgs(String... jvmArgs) {
		return jvmArgs(List.of(jvmArgs));
	}

	/**
	 * Adds options for the JVM.
	 * @param jvmArgs the options, in order
	 * @return this builder
	 */
	public JavaProcessBuilder jvmArgs(List<String> jvmArgs) {
		this.jvmArgs.addAll(jvmArgs);
		return this;
	}

	/**
	 * Adds program arguments, passed after the main class or jar.
	 * @param args the arguments, in order
	 * @return this builder
	 */
	public JavaProcessBuilder args(String... args) {
		return args(List.of(args));
	}

	/**
	 * Adds program arguments.
	 * @param args the arguments, in order
	 * @return this builder
	 */
	public JavaProcessBuilder args(List<String> args) {
		this.args.addAll(args);
		return this;
	}

	/**
	 * Sets an environment variable of the child (which otherwise inherits this JVM's).
	 * @param key the variable name
	 * @param value the value, or {@code null} to remove an inherited variable
	 * @return this builder
	 */
	public JavaProcessBuilder env(String key, String value) {
		this.env.put(requireText(key, "key"), value);
		return this;
	}

	/**
	 * Sets the working directory of the child; the default is this JVM's.
	 * @param workingDirectory the directory
	 * @return this builder
	 */
	public JavaProcessBuilder workingDirectory(Path workingDirectory) {
		this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory must not be null");
		return this;
	}

	/**
	 * Sets the file that receives standard output and error, appended to; the default is
	 * a temporary file deleted when this JVM exits.
	 * @param logFile the log file
	 * @return this builder
	 */
	public JavaProcessBuilder logFile(Path logFile) {
		this.logFile = Objects.requireNonNull(logFile, "logFile must not be null");
		return this;
	}

	/**
	 * Sets how long the child may take to exit after {@code SIGTERM} when this JVM exits
	 * before it is killed; the default, zero, kills it at once.
	 * @param exitGrace the grace period
	 * @return this builder
	 */
	public JavaProcessBuilder exitGrace(Duration exitGrace) {
		Objects.requireNonNull(exitGrace, "exitGrace must not be null");
		if (exitGrace.isNegative()) {
			throw new IllegalArgumentException("exitGrace must not be negative, was " + exitGrace);
		}
		this.exitGrace = exitGrace;
		return this;
	}

	/**
	 * Sets whether the child halts by itself when this JVM dies without running its
	 * shutdown hooks (default {@code true}).
	 * @param orphanGuard whether to add the guard agent
	 * @return this builder
	 */
	public JavaProcessBuilder orphanGuard(boolean orphanGuard) {
		this.orphanGuard = orphanGuard;
		return this;
	}

	/**
	 * Sets the {@code java} launcher; the default is the one running this JVM.
	 * @param javaExecutable the launcher
	 * @return this builder
	 */
	public JavaProcessBuilder javaExecutable(Path javaExecutable) {
		this.javaExecutable = Objects.requireNonNull(javaExecutable, "javaExecutable must not be null");
		return this;
	}

	/**
	 * Starts the child JVM.
	 * @return the running process
	 * @throws IllegalStateException if neither or both of a main class and a jar are set
	 * @throws UncheckedIOException if the process or its log file cannot be created
	 */
	public JavaProcess start() {
		if ((this.mainClass == null) == (this.jar == null)) {
			throw new IllegalStateException("Process '" + this.name + "' needs either mainClass(…) or jar(…)");
		}
		List<String> command = new ArrayList<>();
		command.add(this.javaExecutable.toString());
		command.addAll(this.jvmArgs);
		if (this.orphanGuard) {
			command.add(OrphanGuardJar.jvmOption());
		}
		List<String> target = (this.jar != null) ? List.of("-jar", this.jar.toString())
				: List.of("-cp", this.classpath, this.mainClass);
		command.addAll(target);
		command.addAll(this.args);
		try {
			Path log = (this.logFile != null) ? this.logFile : temporaryLog();
			Files.createDirectories(log.toAbsolutePath().getParent());
			writeHeader(log);
			long logStart = LogScanner.size(log);
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
			if (this.workingDirectory != null) {
				builder.directory(this.workingDirectory.toFile());
			}
			this.env.forEach((key, value) -> {
				if (value == null) {
					builder.environment().remove(key);
				}
				else {
					builder.environment().put(key, value);
				}
			});
			Process process = builder.start();
			// close our end of its stdin at once: the child reads EOF instead of blocking on a pipe nobody feeds
			process.getOutputStream().close();
			JavaProcess started = new JavaProcess(this.name, process, log, logStart, this.exitGrace);
			ProcessReaper.register(started);
			process.onExit().thenRun(() -> ProcessReaper.unregister(started));
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start process '" + this.name + "': " + describe(), ex);
		}
	}

	private Path temporaryLog() throws IOException {
		Path log = Files.createTempFile("failover-" + this.name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-", ".log");
		log.toFile().deleteOnExit();
		return log;
	}

	private void writeHeader(Path log) throws IOException {
		String header = "==== " + Instant.now() + " starting '" + this.name + "': " + describe() + System.lineSeparator();
		Files.writeString(log, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	private String describe() {
		// the classpath is left out: it is long and says little
		String target = (this.jar != null) ? "-jar " + this.jar : this.mainClass;
		return "java " + String.join(" ", this.jvmArgs) + " " + target + " " + String.join(" ", this.args);
	}

	private static String requireText(String value, String argument) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(argument + " must not be blank");
		}
		return value;
	}

}
