package dev.failover.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.failover.testkit.FreePorts;

/**
 * A builder for a {@link SampleInstance}. {@link SampleCluster} uses it for its instances;
 * use it directly to run an instance against a broker of your own.
 */
public final class SampleInstanceBuilder {

	/**
	 * The JVM options an instance gets unless {@link #jvmArgs(List)} replaces them: a small
	 * heap, and the quick compiler only, which halves the start of three instances on two
	 * cores (16 s to 8 s). Replace them to measure CPU-bound work at full JIT speed.
	 */
	public static final List<String> DEFAULT_JVM_ARGS = List.of("-Xmx256m", "-XX:+UseSerialGC",
			"-XX:TieredStopAtLevel=1");

	/**
	 * The properties the harness sets on the command line itself; Spring joins a property
	 * given twice on the command line into {@code a,b}, so extra arguments must not repeat them.
	 */
	static final Set<String> MANAGED_PROPERTIES = Set.of("server.port", "failover.instance-id",
			"spring.kafka.bootstrap-servers", "sample.role-log");

	final String id;

	Path jar;

	int httpPort;

	String bootstrapServers;

	String listener;

	final List<String> jvmArgs = new ArrayList<>(DEFAULT_JVM_ARGS);

	final List<String> appArgs = new ArrayList<>();

	Path logFile;

	Path workingDirectory;

	Path roleLogFile;

	Duration requestTimeout = Duration.ofSeconds(2);

	SampleInstanceBuilder(String id) {
		if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
			throw new IllegalArgumentException("id must be letters, digits, '_', '.' or '-', was " + id);
		}
		this.id = id;
	}

	/**
	 * Sets the sample application's fat jar; the default is {@link SampleJar#locate()}.
	 * @param jar the jar
	 * @return this builder
	 */
	public SampleInstanceBuilder jar(Path jar) {
		this.jar = Objects.requireNonNull(jar, "jar must not be null");
		return this;
	}

	/**
	 * Sets the HTTP port (application and Actuator); the default, 0, picks a free port once,
	 * kept across restarts.
	 * @param httpPort the port
	 * @return this builder
	 */
	public SampleInstanceBuilder httpPort(int httpPort) {
		if (httpPort < 0 || httpPort > 65535) {
			throw new IllegalArgumentException("httpPort must be 0 to 65535, was " + httpPort);
		}
		this.httpPort = httpPort;
		return this;
	}

	/**
	 * Sets the Kafka bootstrap servers the instance connects to (required).
	 * @param bootstrapServers such as {@code 127.0.0.1:9092}
	 * @return this builder
	 */
	public SampleInstanceBuilder bootstrapServers(String bootstrapServers) {
		if (bootstrapServers == null || bootstrapServers.isBlank()) {
			throw new IllegalArgumentException("bootstrapServers must not be blank");
		}
		this.bootstrapServers = bootstrapServers;
		return this;
	}

	/**
	 * Records which proxied broker listener the instance uses, for its owner to cut it.
	 * @param listener the listener name
	 * @return this builder
	 */
	public SampleInstanceBuilder listener(String listener) {
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
		return this;
	}

	/**
	 * Replaces the JVM options (default {@link #DEFAULT_JVM_ARGS}), such as {@code -Xmx512m}
	 * or {@code -Dkey=value}.
	 * @param jvmArgs the options
	 * @return this builder
	 */
	public SampleInstanceBuilder jvmArgs(List<String> jvmArgs) {
		this.jvmArgs.clear();
		this.jvmArgs.addAll(jvmArgs);
		return this;
	}

	/**
	 * Adds application arguments, such as {@code --failover.heartbeat-timeout=2s}.
	 * @param appArgs the arguments
	 * @return this builder
	 * @throws IllegalArgumentException if one sets a property the harness sets itself
	 */
	public SampleInstanceBuilder appArgs(List<String> appArgs) {
		for (String arg : appArgs) {
			String key = arg.startsWith("--") ? arg.substring(2).split("=", 2)[0] : "";
			if (MANAGED_PROPERTIES.contains(key)) {
				throw new IllegalArgumentException("appArgs must not set " + key + " (the harness sets it), was " + arg);
			}
		}
		this.appArgs.addAll(appArgs);
		return this;
	}

	/**
	 * Sets the log file (standard output and error, appended across restarts); the default
	 * is {@code <id>.log} in the working directory.
	 * @param logFile the file
	 * @return this builder
	 */
	public SampleInstanceBuilder logFile(Path logFile) {
		this.logFile = Objects.requireNonNull(logFile, "logFile must not be null");
		return this;
	}

	/**
	 * Sets the file the sample app appends its role changes to ({@code sample.role-log});
	 * the default is none.
	 * @param roleLogFile the file
	 * @return this builder
	 */
	public SampleInstanceBuilder roleLogFile(Path roleLogFile) {
		this.roleLogFile = Objects.requireNonNull(roleLogFile, "roleLogFile must not be null");
		return this;
	}

	/**
	 * Sets the working directory of the process (required).
	 * @param workingDirectory the directory
	 * @return this builder
	 */
	public SampleInstanceBuilder workingDirectory(Path workingDirectory) {
		this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory must not be null");
		return this;
	}

	/**
	 * Sets the timeout of a status request (default 2 s); a paused instance costs a poller
	 * this long.
	 * @param requestTimeout the timeout
	 * @return this builder
	 */
	public SampleInstanceBuilder requestTimeout(Duration requestTimeout) {
		if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
			throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
		}
		this.requestTimeout = requestTimeout;
		return this;
	}

	/**
	 * Creates the instance without starting it.
	 * @return the instance
	 * @throws IllegalStateException if the bootstrap servers or working directory are missing
	 */
	public SampleInstance build() {
		if (this.bootstrapServers == null) {
			throw new IllegalStateException("Instance '" + this.id + "' needs bootstrapServers(…)");
		}
		if (this.workingDirectory == null) {
			throw new IllegalStateException("Instance '" + this.id + "' needs workingDirectory(…)");
		}
		// absolute: the process runs in the working directory, not in this JVM's
		Path sampleJar = ((this.jar != null) ? this.jar : SampleJar.locate()).toAbsolutePath();
		int port = (this.httpPort != 0) ? this.httpPort : FreePorts.next();
		Path log = (this.logFile != null) ? this.logFile : this.workingDirectory.resolve(this.id + ".log");
		return new SampleInstance(this, sampleJar, port, log);
	}

}
