package dev.failover.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A builder for a {@link SampleCluster}; every setting has a default, so
 * {@code SampleCluster.builder().start()} is a broker with three running instances
 * {@code a}, {@code b} and {@code c}.
 */
public final class SampleClusterBuilder {

	List<String> ids = List.of("a", "b", "c");

	Path sampleJar;

	Path workDir;

	Boolean keepWorkDir;

	List<String> jvmArgs = SampleInstanceBuilder.DEFAULT_JVM_ARGS;

	final List<String> appArgs = new ArrayList<>();

	final Map<String, List<String>> instanceAppArgs = new LinkedHashMap<>();

	final Map<String, String> brokerProperties = new LinkedHashMap<>();

	String brokerClasspath;

	String ledgerTopic = LedgerCheck.DEFAULT_TOPIC;

	Duration startTimeout = Duration.ofSeconds(120);

	Duration stopTimeout = Duration.ofSeconds(10);

	Duration pollInterval = Duration.ofMillis(10);

	Duration requestTimeout = Duration.ofSeconds(2);

	// null: proxied on one broker, direct on several
	private Boolean proxied;

	int brokers = 1;

	SampleClusterBuilder() {
	}

	/**
	 * Sets the number of instances, named {@code a}, {@code b}, {@code c} and so on
	 * (default 3).
	 * @param count 1 to 26
	 * @return this builder
	 */
	public SampleClusterBuilder instances(int count) {
		if (count < 1 || count > 26) {
			throw new IllegalArgumentException("count must be 1 to 26, was " + count);
		}
		List<String> names = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			names.add(String.valueOf((char) ('a' + i)));
		}
		this.ids = List.copyOf(names);
		return this;
	}

	/**
	 * Sets the instance ids, in order.
	 * @param ids distinct ids
	 * @return this builder
	 */
	public SampleClusterBuilder instanceIds(String... ids) {
		Set<String> distinct = new LinkedHashSet<>(Arrays.asList(ids));
		if (ids.length == 0 || distinct.size() != ids.length) {
			throw new IllegalArgumentException("ids must be distinct and not empty, were " + Arrays.toString(ids));
		}
		this.ids = List.copyOf(distinct);
		return this;
	}

	/**
	 * Sets the sample application's fat jar; the default is {@link SampleJar#locate()}.
	 * @param sampleJar the jar
	 * @return this builder
	 */
	public SampleClusterBuilder sampleJar(Path sampleJar) {
		this.sampleJar = Objects.requireNonNull(sampleJar, "sampleJar must not be null");
		return this;
	}

	/**
	 * Uses a work directory (broker data in {@code broker/}, instance logs in {@code logs/}),
	 * kept on close unless {@link #keepWorkDir(boolean) keepWorkDir(false)}; the default is a
	 * new temporary directory, deleted on close.
	 * @param workDir the directory, created if missing
	 * @return this builder
	 */
	public SampleClusterBuilder workDir(Path workDir) {
		this.workDir = Objects.requireNonNull(workDir, "workDir must not be null");
		return this;
	}

	/**
	 * Sets whether the work directory survives {@link SampleCluster#close()}.
	 * @param keepWorkDir whether to keep it
	 * @return this builder
	 */
	public SampleClusterBuilder keepWorkDir(boolean keepWorkDir) {
		this.keepWorkDir = keepWorkDir;
		return this;
	}

	/**
	 * Replaces every instance's JVM options (default
	 * {@link SampleInstanceBuilder#DEFAULT_JVM_ARGS}).
	 * @param jvmArgs the options, such as {@code -Xmx512m}
	 * @return this builder
	 */
	public SampleClusterBuilder jvmArgs(String... jvmArgs) {
		this.jvmArgs = List.of(jvmArgs);
		return this;
	}

	/**
	 * Adds application arguments for every instance, such as
	 * {@code --failover.heartbeat-timeout=2s}; the harness sets the port, instance id and
	 * bootstrap servers itself.
	 * @param appArgs the arguments
	 * @return this builder
	 */
	public SampleClusterBuilder appArgs(String... appArgs) {
		this.appArgs.addAll(List.of(appArgs));
		return this;
	}

	/**
	 * Adds application arguments for one instance, after those for every instance.
	 * @param id the instance id
	 * @param appArgs the arguments
	 * @return this builder
	 */
	public SampleClusterBuilder appArgs(String id, String... appArgs) {
		this.instanceAppArgs.computeIfAbsent(Objects.requireNonNull(id, "id must not be null"), (key) -> new ArrayList<>())
			.addAll(List.of(appArgs));
		return this;
	}

	/**
	 * Adds or overrides a broker {@code server.properties} entry.
	 * @param key the property
	 * @param value the value
	 * @return this builder
	 */
	public SampleClusterBuilder brokerProperty(String key, String value) {
		this.brokerProperties.put(Objects.requireNonNull(key, "key must not be null"),
				Objects.requireNonNull(value, "value must not be null"));
		return this;
	}

	/**
	 * Sets the broker JVM's classpath; the default is found by
	 * {@link dev.failover.testkit.RuntimeClasspath}.
	 * @param brokerClasspath the classpath
	 * @return this builder
	 */
	public SampleClusterBuilder brokerClasspath(String brokerClasspath) {
		this.brokerClasspath = Objects.requireNonNull(brokerClasspath, "brokerClasspath must not be null");
		return this;
	}

	/**
	 * Sets the ledger topic the harness creates and passes to the instances (default
	 * {@value LedgerCheck#DEFAULT_TOPIC}).
	 * @param ledgerTopic the topic
	 * @return this builder
	 */
	public SampleClusterBuilder ledgerTopic(String ledgerTopic) {
		if (ledgerTopic == null || ledgerTopic.isBlank()) {
			throw new IllegalArgumentException("ledgerTopic must not be blank");
		}
		this.ledgerTopic = ledgerTopic;
		return this;
	}

	/**
	 * Sets how long {@link #start()} waits for every instance to be healthy (default 120 s).
	 * @param startTimeout the timeout
	 * @return this builder
	 */
	public SampleClusterBuilder startTimeout(Duration startTimeout) {
		this.startTimeout = requirePositive(startTimeout, "startTimeout");
		return this;
	}

	/**
	 * Sets how long each instance may take to stop gracefully on close before it is killed
	 * (default 10 s).
	 * @param stopTimeout the timeout
	 * @return this builder
	 */
	public SampleClusterBuilder stopTimeout(Duration stopTimeout) {
		this.stopTimeout = requirePositive(stopTimeout, "stopTimeout");
		return this;
	}

	/**
	 * Sets how often a {@link PromotionWatch} asks each instance (default 10 ms).
	 * @param pollInterval the interval
	 * @return this builder
	 */
	public SampleClusterBuilder pollInterval(Duration pollInterval) {
		this.pollInterval = requirePositive(pollInterval, "pollInterval");
		return this;
	}

	/**
	 * Sets the timeout of one status request (default 2 s).
	 * @param requestTimeout the timeout
	 * @return this builder
	 */
	public SampleClusterBuilder requestTimeout(Duration requestTimeout) {
		this.requestTimeout = requirePositive(requestTimeout, "requestTimeout");
		return this;
	}

	/**
	 * Sets whether each instance reaches the broker through a TCP proxy of its own (the
	 * default on one broker), so that it can be {@link SampleCluster#cut cut off} alone. Without proxies
	 * the instances connect to the broker directly, as a service in production does: what
	 * a benchmark should time, since every proxy adds a relay through the harness's JVM to
	 * each request and each answer.
	 * @param proxied whether to proxy
	 * @return this builder
	 */
	public SampleClusterBuilder proxied(boolean proxied) {
		this.proxied = proxied;
		return this;
	}

	/**
	 * Sets how many brokers the group runs on (default 1, a standalone broker). With more, a
	 * {@link dev.failover.testkit.KafkaCluster} in production shape, which the instances
	 * reach directly: per-instance proxies would need one per broker, and the faults a
	 * cluster is there for are between its brokers.
	 * @param brokers 1 to 9
	 * @return this builder
	 */
	public SampleClusterBuilder brokers(int brokers) {
		if (brokers < 1 || brokers > 9) {
			throw new IllegalArgumentException("brokers must be 1 to 9, was " + brokers);
		}
		this.brokers = brokers;
		return this;
	}

	boolean proxied() {
		return (this.proxied != null) ? this.proxied : this.brokers == 1;
	}

	/**
	 * Starts the broker, creates the ledger topic and prepares the instances without
	 * starting them: for callers that time or watch the instances' start themselves (then
	 * {@link SampleCluster#startInstances()}).
	 * @return the cluster, its broker running
	 */
	public SampleCluster startBroker() {
		if (this.brokers > 1 && Boolean.TRUE.equals(this.proxied)) {
			throw new IllegalArgumentException("proxied(true) needs a single broker; with " + this.brokers
					+ " the instances connect to the brokers directly");
		}
		for (String id : this.instanceAppArgs.keySet()) {
			if (!this.ids.contains(id)) {
				throw new IllegalArgumentException("appArgs were given for id " + id + ", which is not one of " + this.ids);
			}
		}
		return SampleCluster.create(this);
	}

	/**
	 * Starts the broker and every instance, and waits until all are healthy.
	 * @return the running cluster
	 * @throws IllegalStateException if something does not start in time; everything started
	 * is stopped again and the work directory is kept for its logs
	 */
	public SampleCluster start() {
		SampleCluster cluster = startBroker();
		try {
			cluster.startInstances();
			cluster.awaitHealthy(this.startTimeout);
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.keepWorkDir(true);
			cluster.close();
			throw new IllegalStateException(ex.getMessage() + "\n(logs kept in " + cluster.workDir() + ")", ex);
		}
	}

	private static Duration requirePositive(Duration duration, String argument) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(argument + " must be positive, was " + duration);
		}
		return duration;
	}

}
