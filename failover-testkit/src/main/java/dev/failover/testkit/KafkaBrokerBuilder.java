package dev.failover.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A builder for a {@link KafkaBroker}; every setting has a default, so
 * {@code KafkaBroker.builder().start()} is a working broker.
 */
public final class KafkaBrokerBuilder {

	private int port;

	private int controllerPort;

	private Path dataDir;

	private Boolean keepDataDir;

	final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx512m"));

	final Map<String, String> properties = new LinkedHashMap<>();

	// name -> advertised port, or null for a proxied listener
	private final Map<String, Integer> listeners = new LinkedHashMap<>();

	private String classpath;

	// set by KafkaCluster only: a node of a cluster with static voters
	BrokerConfig.Membership membership = BrokerConfig.Membership.STANDALONE;

	String clusterId;

	Duration startTimeout = Duration.ofSeconds(60);

	Duration stopTimeout = Duration.ofSeconds(30);

	Duration exitGrace = Duration.ZERO;

	KafkaBrokerBuilder() {
	}

	/**
	 * Sets the port of the direct {@code PLAINTEXT} listener; the default, 0, picks a free one.
	 * @param port the port
	 * @return this builder
	 */
	public KafkaBrokerBuilder port(int port) {
		this.port = requirePort(port, "port");
		return this;
	}

	/**
	 * Sets the port of the KRaft controller listener; the default, 0, picks a free one.
	 * @param controllerPort the port
	 * @return this builder
	 */
	public KafkaBrokerBuilder controllerPort(int controllerPort) {
		this.controllerPort = requirePort(controllerPort, "controllerPort");
		return this;
	}

	/**
	 * Uses the given data directory (created if missing, kept on close unless
	 * {@link #keepDataDir(boolean) keepDataDir(false)}); the default is a new temporary
	 * directory, deleted on close. A directory formatted before is started as is.
	 * @param dataDir the directory
	 * @return this builder
	 */
	public KafkaBrokerBuilder dataDir(Path dataDir) {
		this.dataDir = Objects.requireNonNull(dataDir, "dataDir must not be null");
		return this;
	}

	/**
	 * Sets whether the data directory survives {@link KafkaBroker#close()}.
	 * @param keepDataDir whether to keep it
	 * @return this builder
	 */
	public KafkaBrokerBuilder keepDataDir(boolean keepDataDir) {
		this.keepDataDir = keepDataDir;
		return this;
	}

	/**
	 * Replaces the broker's JVM options (default {@code -Xmx512m}).
	 * @param jvmOptions the options
	 * @return this builder
	 */
	public KafkaBrokerBuilder jvmOptions(String... jvmOptions) {
		this.jvmOptions.clear();
		this.jvmOptions.addAll(List.of(jvmOptions));
		return this;
	}

	/**
	 * Adds or overrides a {@code server.properties} entry, such as
	 * {@code auto.create.topics.enable=true}.
	 * @param key the property name
	 * @param value the value
	 * @return this builder
	 */
	public KafkaBrokerBuilder property(String key, String value) {
		if (key == null || key.isBlank()) {
			throw new IllegalArgumentException("key must not be blank");
		}
		this.properties.put(key, Objects.requireNonNull(value, "value must not be null"));
		return this;
	}

	/**
	 * Adds a listener fronted by its own {@link TcpProxy}, advertised at the proxy; see
	 * the class documentation for why. Clients bootstrap from
	 * {@link KafkaBroker#bootstrapServers(String)} and are cut with
	 * {@link KafkaBroker#proxy(String)}.
	 * @param name the listener name, upper case, such as {@code INST1}
	 * @return this builder
	 */
	public KafkaBrokerBuilder proxiedListener(String name) {
		addListener(name, null);
		return this;
	}

	/**
	 * Adds a listener on a free port that is advertised at {@code 127.0.0.1:advertisedPort},
	 * for callers that run their own forwarder there (it must forward to
	 * {@link KafkaBroker#listenerPort(String)}).
	 * @param name the listener name, upper case
	 * @param advertisedPort the port clients are told to connect to
	 * @return this builder
	 */
	public KafkaBrokerBuilder listener(String name, int advertisedPort) {
		if (advertisedPort < 1 || advertisedPort > 65535) {
			throw new IllegalArgumentException("advertisedPort must be 1 to 65535, was " + advertisedPort);
		}
		addListener(name, advertisedPort);
		return this;
	}

	/**
	 * Sets the classpath of the broker JVM; the default is found by {@link RuntimeClasspath}.
	 * @param classpath the classpath
	 * @return this builder
	 */
	public KafkaBrokerBuilder classpath(String classpath) {
		this.classpath = Objects.requireNonNull(classpath, "classpath must not be null");
		return this;
	}

	/**
	 * Sets how long a start may take until the broker logs that it started (default 60 s).
	 * @param startTimeout the timeout
	 * @return this builder
	 */
	public KafkaBrokerBuilder startTimeout(Duration startTimeout) {
		this.startTimeout = requirePositive(startTimeout, "startTimeout");
		return this;
	}

	/**
	 * Sets how long {@link KafkaBroker#stop()} waits before killing (default 30 s).
	 * @param stopTimeout the timeout
	 * @return this builder
	 */
	public KafkaBrokerBuilder stopTimeout(Duration stopTimeout) {
		this.stopTimeout = requirePositive(stopTimeout, "stopTimeout");
		return this;
	}

	/**
	 * Sets how long the broker may shut down gracefully when this JVM exits without
	 * closing it; the default, zero, kills it at once (right for tests; a CLI may prefer
	 * a clean stop).
	 * @param exitGrace the grace period
	 * @return this builder
	 */
	public KafkaBrokerBuilder exitGrace(Duration exitGrace) {
		Objects.requireNonNull(exitGrace, "exitGrace must not be null");
		if (exitGrace.isNegative()) {
			throw new IllegalArgumentException("exitGrace must not be negative, was " + exitGrace);
		}
		this.exitGrace = exitGrace;
		return this;
	}

	/**
	 * Picks ports, starts the proxies, formats the storage if needed and starts the
	 * broker; returns once the broker has logged that it started.
	 * @return the running broker
	 * @throws IllegalStateException if the broker does not start in time; the message
	 * holds the end of its log
	 */
	public KafkaBroker start() {
		// resolved first: a missing classpath must fail before anything is created
		String brokerClasspath = (this.classpath != null) ? this.classpath : RuntimeClasspath.locate();
		int brokerPort = (this.port != 0) ? this.port : FreePorts.next();
		int brokerControllerPort = (this.controllerPort != 0) ? this.controllerPort : FreePorts.next();
		List<ExtraListener> extra = new ArrayList<>();
		Map<String, TcpProxy> proxies = new LinkedHashMap<>();
		KafkaBroker broker = null;
		try {
			for (Map.Entry<String, Integer> entry : this.listeners.entrySet()) {
				int listenerPort = FreePorts.next();
				Integer advertised = entry.getValue();
				if (advertised == null) {
					TcpProxy proxy = TcpProxy.builder().name(entry.getKey()).target(FreePorts.HOST, listenerPort).start();
					proxies.put(entry.getKey(), proxy);
					advertised = proxy.port();
				}
				extra.add(new ExtraListener(entry.getKey(), listenerPort, advertised));
			}
			Path dir = (this.dataDir != null) ? Files.createDirectories(this.dataDir)
					: Files.createTempDirectory("kafka-broker-");
			boolean delete = (this.keepDataDir != null) ? !this.keepDataDir : this.dataDir == null;
			broker = new KafkaBroker(this, brokerClasspath, brokerPort, brokerControllerPort, dir, delete, extra, proxies);
			broker.launch();
			return broker;
		}
		catch (IOException ex) {
			proxies.values().forEach(TcpProxy::close);
			throw new UncheckedIOException("Cannot create the broker data directory " + this.dataDir, ex);
		}
		catch (RuntimeException ex) {
			proxies.values().forEach(TcpProxy::close);
			if (broker != null) {
				// keep the directory: its log explains the failure
				ProcessReaper.removeCleanup(broker.exitCleanup);
				broker.kill();
			}
			throw ex;
		}
	}

	private void addListener(String name, Integer advertisedPort) {
		ExtraListener.requireValidName(name);
		if (this.listeners.containsKey(name)) {
			throw new IllegalArgumentException("listener " + name + " is already configured");
		}
		this.listeners.put(name, advertisedPort);
	}

	private static int requirePort(int port, String argument) {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException(argument + " must be 0 to 65535, was " + port);
		}
		return port;
	}

	private static Duration requirePositive(Duration duration, String argument) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(argument + " must be positive, was " + duration);
		}
		return duration;
	}

}
