package dev.failover.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in a child
 * JVM, for process-level tests, demos and benchmarks.
 * <p>
 * The broker binds {@value FreePorts#HOST} only. Its data directory holds
 * {@code server.properties}, {@code logback.xml}, the broker's log {@value #LOG_FILE_NAME}
 * (standard output and error, INFO and above) and the Kafka log directory. The broker can be
 * stopped, killed, paused and restarted on the same ports and data, to inject broker faults.
 * <p>
 * <b>Extra listeners for per-client network faults.</b> A {@link KafkaBrokerBuilder#proxiedListener
 * proxied listener} is a broker listener on a port of its own, fronted by a {@link TcpProxy},
 * whose <em>advertised</em> address is the proxy's. This matters because a Kafka client uses
 * its bootstrap address only for the first metadata request; afterwards it connects to the
 * addresses the broker advertises. A proxy that sat only in the bootstrap path would be
 * bypassed after a second, and cutting it would change nothing. A client that bootstraps from
 * {@link #bootstrapServers(String) bootstrapServers("INST1")} is told that the broker lives
 * at the proxy, so all its traffic (producer, consumer, admin) crosses that proxy, and
 * {@code proxy("INST1").cut(…)} isolates exactly that client while others stay connected.
 * One proxied listener per application instance:
 * <pre class="code">
 * try (KafkaBroker broker = KafkaBroker.builder().proxiedListener("INST1").proxiedListener("INST2").start()) {
 *     broker.createTopic("heartbeats", 1);
 *     // instance 1 uses broker.bootstrapServers("INST1"), instance 2 broker.bootstrapServers("INST2")
 *     broker.proxy("INST1").cut(TcpProxy.Mode.BLACKHOLE); // instance 1 is partitioned, instance 2 is not
 *     broker.proxy("INST1").restore();
 * }
 * </pre>
 * <p>
 * Closing the broker stops it, closes its proxies and deletes a temporary data directory.
 * A broker still running when the JVM exits is ended by the testkit's shutdown hook.
 */
public final class KafkaBroker implements AutoCloseable {

	/** The name of the broker log file in the data directory. */
	public static final String LOG_FILE_NAME = "broker.log";

	private static final String STARTED_LINE = "Kafka Server started";

	private static final Logger logger = LoggerFactory.getLogger(KafkaBroker.class);

	private final int port;

	private final int controllerPort;

	private final Path dataDir;

	private final boolean deleteDataDir;

	private final BrokerConfig config;

	private final BrokerConfig.Membership membership;

	private final String clusterId;

	private final List<ExtraListener> listeners;

	private final Map<String, TcpProxy> proxies;

	private final String classpath;

	private final List<String> jvmOptions;

	private final Duration startTimeout;

	private final Duration stopTimeout;

	private final Duration exitGrace;

	final Runnable exitCleanup;

	private volatile JavaProcess process;

	private boolean closed;

	private boolean dataDirDeleted;

	KafkaBroker(KafkaBrokerBuilder builder, String classpath, int port, int controllerPort, Path dataDir,
			boolean deleteDataDir, List<ExtraListener> listeners, Map<String, TcpProxy> proxies) {
		this.port = port;
		this.controllerPort = controllerPort;
		this.dataDir = dataDir;
		this.deleteDataDir = deleteDataDir;
		this.listeners = List.copyOf(listeners);
		this.proxies = Collections.unmodifiableMap(new LinkedHashMap<>(proxies));
		this.config = new BrokerConfig(port, controllerPort, dataDir.resolve("kafka-logs"), listeners,
				builder.properties, builder.membership);
		this.membership = builder.membership;
		this.clusterId = (builder.clusterId != null) ? builder.clusterId : Uuid.randomUuid().toString();
		this.classpath = classpath;
		this.jvmOptions = List.copyOf(builder.jvmOptions);
		this.startTimeout = builder.startTimeout;
		this.stopTimeout = builder.stopTimeout;
		this.exitGrace = builder.exitGrace;
		// a JVM that exits without close() must still not leave temporary directories behind
		this.exitCleanup = this::deleteTemporaryDataDir;
		ProcessReaper.addCleanup(this.exitCleanup);
	}

	/**
	 * Returns a builder for a broker.
	 * @return a new builder
	 */
	public static KafkaBrokerBuilder builder() {
		return new KafkaBrokerBuilder();
	}

	/**
	 * Starts a broker on free ports with a temporary data directory.
	 * @return the running broker
	 */
	public static KafkaBroker start() {
		return builder().start();
	}

	/**
	 * Returns the address of the direct (unproxied) listener, for {@code bootstrap.servers}.
	 * @return {@code 127.0.0.1:port}
	 */
	public String bootstrapServers() {
		return FreePorts.HOST + ":" + this.port;
	}

	/**
	 * Returns the address clients use to reach the broker through the named listener: for a
	 * proxied listener the proxy's address, for another extra listener its advertised address.
	 * @param listener the listener name given to the builder, or {@code PLAINTEXT}
	 * @return {@code 127.0.0.1:port}
	 * @throws IllegalArgumentException if there is no such listener
	 */
	public String bootstrapServers(String listener) {
		if (BrokerConfig.PLAINTEXT.equals(listener)) {
			return bootstrapServers();
		}
		return FreePorts.HOST + ":" + extraListener(listener).advertisedPort();
	}

	/**
	 * Returns the proxy in front of a proxied listener.
	 * @param listener the listener name given to {@link KafkaBrokerBuilder#proxiedListener(String)}
	 * @return the proxy
	 * @throws IllegalArgumentException if the listener is not a proxied one
	 */
	public TcpProxy proxy(String listener) {
		TcpProxy proxy = this.proxies.get(listener);
		if (proxy == null) {
			throw new IllegalArgumentException("listener " + listener + " has no proxy; proxied listeners are "
					+ this.proxies.keySet());
		}
		return proxy;
	}

	/**
	 * Returns the proxies of all proxied listeners.
	 * @return listener name to proxy, in the order they were declared
	 */
	public Map<String, TcpProxy> proxies() {
		return this.proxies;
	}

	/**
	 * Returns the port of the direct listener.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Returns the node id: 1 for a standalone broker, the node's id in a {@link KafkaCluster}.
	 * @return the node id
	 */
	public int nodeId() {
		return this.membership.nodeId();
	}

	/**
	 * Returns the port of the KRaft controller listener.
	 * @return the port
	 */
	public int controllerPort() {
		return this.controllerPort;
	}

	/**
	 * Returns the port the broker itself binds for an extra listener (behind its proxy).
	 * @param listener the listener name
	 * @return the port
	 * @throws IllegalArgumentException if there is no such listener
	 */
	public int listenerPort(String listener) {
		return extraListener(listener).port();
	}

	/**
	 * Returns the data directory.
	 * @return the directory
	 */
	public Path dataDir() {
		return this.dataDir;
	}

	/**
	 * Returns the broker log file (output of every run, appended).
	 * @return the log file
	 */
	public Path logFile() {
		return this.dataDir.resolve(LOG_FILE_NAME);
	}

	/**
	 * Returns the process of the current (or last) run, for log waits and diagnostics.
	 * @return the process
	 */
	public JavaProcess process() {
		return this.process;
	}

	/**
	 * Returns the pid of the current (or last) run.
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Returns whether the broker process is running (a paused one is running).
	 * @return {@code true} while the process is alive
	 */
	public boolean isAlive() {
		JavaProcess current = this.process;
		return current != null && current.isAlive();
	}

	/**
	 * Stops the broker gracefully ({@code SIGTERM}) and waits; kills it if it takes longer
	 * than the stop timeout. Does nothing if it is not running.
	 */
	public synchronized void stop() {
		JavaProcess current = this.process;
		if (current != null && current.isAlive() && !current.terminate(this.stopTimeout)) {
			logger.warn("Kafka broker {} did not stop within {} ms and was killed", bootstrapServers(),
					this.stopTimeout.toMillis());
		}
	}

	/**
	 * Kills the broker with {@code SIGKILL}, as a crash, and waits until the process is gone.
	 */
	public synchronized void kill() {
		JavaProcess current = this.process;
		if (current != null) {
			current.kill();
		}
	}

	/**
	 * Freezes the broker with {@code SIGSTOP}: connections stay open, nothing is answered.
	 */
	public void pause() {
		this.process.pause();
	}

	/**
	 * Lets a paused broker continue with {@code SIGCONT}.
	 */
	public void resume() {
		this.process.resume();
	}

	/**
	 * Starts the broker again on the same ports and data, stopping it first if it is running.
	 * Proxies stay up throughout, so clients behind them reconnect by themselves.
	 * <p>
	 * After a {@link #kill()} the restart takes longer than after a {@link #stop()}: the
	 * controller keeps the killed incarnation registered until its session expires
	 * ({@code broker.session.timeout.ms}, 9 s by default), about 13 s in all. Tests that
	 * crash the broker often may lower it with {@link KafkaBrokerBuilder#property(String, String)}
	 * (with {@code broker.heartbeat.interval.ms} below it), at the price of the broker
	 * fencing itself after a {@link #pause()} longer than that timeout.
	 * @throws IllegalStateException if the broker is closed or does not start in time
	 */
	public synchronized void restart() {
		if (this.closed) {
			throw new IllegalStateException("Kafka broker " + bootstrapServers() + " is closed");
		}
		stop();
		launch();
	}

	/**
	 * Creates a topic with replication factor 1 and waits for the broker to confirm.
	 * @param topic the topic name
	 * @param partitions the number of partitions
	 */
	public void createTopic(String topic, int partitions) {
		createTopic(topic, partitions, Map.of());
	}

	/**
	 * Creates a topic with replication factor 1 and topic configs, and waits for the broker
	 * to confirm.
	 * @param topic the topic name
	 * @param partitions the number of partitions
	 * @param configs topic configs such as {@code cleanup.policy}
	 */
	public void createTopic(String topic, int partitions, Map<String, String> configs) {
		Map<String, Object> adminConfig = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
		try (Admin admin = Admin.create(adminConfig)) {
			NewTopic newTopic = new NewTopic(topic, partitions, (short) 1).configs(configs);
			admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Cannot create topic " + topic + " on " + bootstrapServers(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating topic " + topic, ex);
		}
	}

	/**
	 * Stops the broker, closes its proxies and deletes a temporary data directory (unless
	 * kept). Safe to call more than once.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			stop();
		}
		finally {
			this.proxies.values().forEach(TcpProxy::close);
			deleteTemporaryDataDir();
			ProcessReaper.removeCleanup(this.exitCleanup);
		}
	}

	@Override
	public String toString() {
		return "KafkaBroker " + bootstrapServers() + " (data " + this.dataDir + ")";
	}

	/** Called by close() and, at JVM exit, by the reaper: synchronized so they never delete at once. */
	private synchronized void deleteTemporaryDataDir() {
		if (this.deleteDataDir && !this.dataDirDeleted) {
			this.dataDirDeleted = true;
			Directories.deleteRecursively(this.dataDir);
		}
	}

	private ExtraListener extraListener(String name) {
		return this.listeners.stream()
			.filter((listener) -> listener.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("listener " + name + " is not configured; listeners are "
					+ BrokerConfig.PLAINTEXT + " and " + this.listeners.stream().map(ExtraListener::name).toList()));
	}

	/** Writes the configuration, formats the storage on first start and starts the broker. */
	void launch() {
		Path properties = this.dataDir.resolve("server.properties");
		Path logback = this.dataDir.resolve("logback.xml");
		try {
			Files.writeString(properties, this.config.serverProperties(), StandardCharsets.UTF_8);
			Files.writeString(logback, BrokerConfig.logbackXml(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the broker configuration to " + this.dataDir, ex);
		}
		String logbackOption = "-Dlogback.configurationFile=" + logback.toAbsolutePath();
		List<String> jvm = new ArrayList<>(this.jvmOptions);
		jvm.add(logbackOption);
		// a restart reuses the formatted log directory: formatting again would fail, and must not wipe data
		if (!Files.exists(this.dataDir.resolve("kafka-logs").resolve("meta.properties"))) {
			format(logbackOption, properties);
		}
		JavaProcess started = JavaProcess.builder("kafka-broker-" + this.port)
			.mainClass("kafka.Kafka", this.classpath)
			.jvmArgs(jvm)
			.args(properties.toAbsolutePath().toString())
			.workingDirectory(this.dataDir)
			.logFile(logFile())
			.exitGrace(this.exitGrace)
			.start();
		this.process = started;
		long startNanos = System.nanoTime();
		try {
			started.awaitLogLine(STARTED_LINE, this.startTimeout);
			logger.info("Kafka broker {} started in {} ms (pid {}, data {})", bootstrapServers(),
					Duration.ofNanos(System.nanoTime() - startNanos).toMillis(), started.pid(), this.dataDir);
		}
		catch (IllegalStateException ex) {
			started.kill();
			throw new IllegalStateException("Kafka broker " + bootstrapServers() + " did not start within "
					+ this.startTimeout.toMillis() + " ms (data dir " + this.dataDir + "): " + ex.getMessage(), ex);
		}
	}

	private void format(String logbackOption, Path properties) {
		List<String> args = new ArrayList<>(List.of("format"));
		if (this.membership.isStandalone()) {
			// a quorum of one: this node is its only voter
			args.add("--standalone");
		}
		// static voters come from controller.quorum.voters; every node of a cluster gets the same id
		args.addAll(List.of("-t", this.clusterId, "-c", properties.toAbsolutePath().toString()));
		JavaProcess format = JavaProcess.builder("kafka-storage-format")
			.mainClass("kafka.tools.StorageTool", this.classpath)
			// a one-second tool: a small heap and the quick compiler start it fastest
			.jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", logbackOption)
			.args(args)
			.workingDirectory(this.dataDir)
			.logFile(logFile())
			.start();
		if (!format.waitFor(this.startTimeout)) {
			format.kill();
			throw new IllegalStateException("Formatting the Kafka storage in " + this.dataDir + " took longer than "
					+ this.startTimeout.toMillis() + " ms; last lines of " + logFile() + ":\n" + format.logTail(40));
		}
		int exitCode = format.exitCode().orElseThrow();
		if (exitCode != 0) {
			throw new IllegalStateException("Formatting the Kafka storage in " + this.dataDir + " failed with exit code "
					+ exitCode + "; last lines of " + logFile() + ":\n" + format.logTail(40));
		}
	}

}
