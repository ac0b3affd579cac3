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
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.Uuid;

/**
 * A builder for a {@link KafkaCluster}; every setting has a default, so
 * {@code KafkaCluster.builder().start()} is three brokers in production shape.
 */
public final class KafkaClusterBuilder {

	private int brokers = 3;

	private Path dataDir;

	private Boolean keepDataDir;

	private final Map<String, String> properties = new LinkedHashMap<>();

	// three brokers and the instances share two cores: 400 MiB each is plenty for a test cluster
	private List<String> jvmOptions = List.of("-Xmx400m");

	private String classpath;

	private Duration startTimeout = Duration.ofSeconds(120);

	private Duration stopTimeout = Duration.ofSeconds(30);

	KafkaClusterBuilder() {
	}

	/**
	 * Sets the number of brokers (default 3), each also a controller voter.
	 * @param brokers 2 to 9
	 * @return this builder
	 */
	public KafkaClusterBuilder brokers(int brokers) {
		if (brokers < 2 || brokers > 9) {
			throw new IllegalArgumentException("brokers must be 2 to 9, was " + brokers);
		}
		this.brokers = brokers;
		return this;
	}

	/**
	 * Uses the given data directory, one {@code node-<id>} directory per broker (kept on close
	 * unless {@link #keepDataDir(boolean) keepDataDir(false)}); the default is a new temporary
	 * directory, deleted on close.
	 * @param dataDir the directory
	 * @return this builder
	 */
	public KafkaClusterBuilder dataDir(Path dataDir) {
		this.dataDir = Objects.requireNonNull(dataDir, "dataDir must not be null");
		return this;
	}

	/**
	 * Sets whether the data directory survives {@link KafkaCluster#close()}.
	 * @param keepDataDir whether to keep it
	 * @return this builder
	 */
	public KafkaClusterBuilder keepDataDir(boolean keepDataDir) {
		this.keepDataDir = keepDataDir;
		return this;
	}

	/**
	 * Adds or overrides a {@code server.properties} entry of every broker, such as
	 * {@code broker.session.timeout.ms}.
	 * @param key the property name
	 * @param value the value
	 * @return this builder
	 */
	public KafkaClusterBuilder property(String key, String value) {
		if (key == null || key.isBlank()) {
			throw new IllegalArgumentException("key must not be blank");
		}
		this.properties.put(key, Objects.requireNonNull(value, "value must not be null"));
		return this;
	}

	/**
	 * Replaces every broker's JVM options (default {@code -Xmx400m}).
	 * @param jvmOptions the options
	 * @return this builder
	 */
	public KafkaClusterBuilder jvmOptions(String... jvmOptions) {
		this.jvmOptions = List.of(jvmOptions);
		return this;
	}

	/**
	 * Sets the classpath of the broker JVMs; the default is found by {@link RuntimeClasspath}.
	 * @param classpath the classpath
	 * @return this builder
	 */
	public KafkaClusterBuilder classpath(String classpath) {
		this.classpath = Objects.requireNonNull(classpath, "classpath must not be null");
		return this;
	}

	/**
	 * Sets how long a start (or restart) of a broker may take (default 120 s).
	 * @param startTimeout the timeout
	 * @return this builder
	 */
	public KafkaClusterBuilder startTimeout(Duration startTimeout) {
		this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout must not be null");
		return this;
	}

	/**
	 * Sets how long a graceful stop of a broker may take before it is killed (default 30 s).
	 * @param stopTimeout the timeout
	 * @return this builder
	 */
	public KafkaClusterBuilder stopTimeout(Duration stopTimeout) {
		this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout must not be null");
		return this;
	}

	/**
	 * Starts the links between the nodes and every broker, all at once (each waits for a
	 * quorum of controllers), and returns when all have logged that they started.
	 * @return the running cluster
	 * @throws IllegalStateException if a broker does not start in time; everything started
	 * is stopped and the data directory is kept for its logs
	 */
	public KafkaCluster start() {
		String brokerClasspath = (this.classpath != null) ? this.classpath : RuntimeClasspath.locate();
		Path dir;
		try {
			dir = (this.dataDir != null) ? Files.createDirectories(this.dataDir)
					: Files.createTempDirectory("kafka-cluster-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the cluster data directory " + this.dataDir, ex);
		}
		boolean delete = (this.keepDataDir != null) ? !this.keepDataDir : this.dataDir == null;
		Map<Integer, Integer> controllerPorts = new LinkedHashMap<>();
		for (int node = 1; node <= this.brokers; node++) {
			controllerPorts.put(node, FreePorts.next());
		}
		NodeLinks links = NodeLinks.start(controllerPorts);
		String clusterId = Uuid.randomUuid().toString();
		List<KafkaBrokerBuilder> builders = new ArrayList<>();
		for (int node = 1; node <= this.brokers; node++) {
			builders.add(brokerBuilder(node, controllerPorts.get(node), links.voters(node, controllerPorts), clusterId,
					dir, brokerClasspath));
		}
		Map<Integer, KafkaBroker> started = new ConcurrentHashMap<>();
		try {
			Parallel.forEach(builders, (builder) -> {
				KafkaBroker broker = builder.start();
				started.put(broker.nodeId(), broker);
			});
			List<KafkaBroker> brokerList = new ArrayList<>();
			for (int node = 1; node <= this.brokers; node++) {
				brokerList.add(started.get(node));
			}
			return new KafkaCluster(brokerList, links, dir, delete);
		}
		catch (RuntimeException ex) {
			// keep the directory: the brokers' logs explain the failure
			Parallel.forEach(List.copyOf(started.values()), KafkaBroker::kill);
			started.values().forEach(KafkaBroker::close);
			links.close();
			throw new IllegalStateException("The Kafka cluster did not start (data kept in " + dir + "): "
					+ ex.getMessage(), ex);
		}
	}

	private KafkaBrokerBuilder brokerBuilder(int node, int controllerPort, String voters, String clusterId, Path dir,
			String brokerClasspath) {
		KafkaBrokerBuilder builder = KafkaBroker.builder()
			.controllerPort(controllerPort)
			.dataDir(dir.resolve("node-" + node))
			// the cluster deletes its whole directory itself
			.keepDataDir(true)
			.classpath(brokerClasspath)
			.jvmOptions(this.jvmOptions.toArray(String[]::new))
			.startTimeout(this.startTimeout)
			.stopTimeout(this.stopTimeout);
		builder.membership = new BrokerConfig.Membership(node, voters, NodeLinks.replicationListener(node));
		builder.clusterId = clusterId;
		// one listener per peer, each behind its own proxy: the link from that peer to this broker
		for (int peer = 1; peer <= this.brokers; peer++) {
			builder.proxiedListener(NodeLinks.replicationListener(peer));
		}
		productionDefaults().forEach(builder::property);
		this.properties.forEach(builder::property);
		return builder;
	}

	/** Replication and durability as production runs them, for the internal topics too. */
	private Map<String, String> productionDefaults() {
		String replicas = String.valueOf(Math.min(3, this.brokers));
		String minInSync = (this.brokers >= 3) ? "2" : "1";
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("default.replication.factor", replicas);
		defaults.put("min.insync.replicas", minInSync);
		defaults.put("unclean.leader.election.enable", "false");
		defaults.put("offsets.topic.replication.factor", replicas);
		defaults.put("transaction.state.log.replication.factor", replicas);
		defaults.put("transaction.state.log.min.isr", minInSync);
		defaults.put("share.coordinator.state.topic.replication.factor", replicas);
		defaults.put("share.coordinator.state.topic.min.isr", minInSync);
		return defaults;
	}

}
