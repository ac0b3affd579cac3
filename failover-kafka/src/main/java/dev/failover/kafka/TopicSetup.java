package dev.failover.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the failover topic when it is missing and checks that it is safe, with a
 * short-lived admin client, all within the configured admin timeout.
 */
final class TopicSetup {

	private static final Logger logger = LoggerFactory.getLogger(TopicSetup.class);

	private static final long LEADER_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final KafkaTransportOptions options;

	private final String clientId;

	private Uuid createdTopicId;

	TopicSetup(KafkaTransportOptions options, String clientId) {
		this.options = options;
		this.clientId = clientId;
	}

	/**
	 * Makes sure the topic exists, and describes it.
	 * @return the topic as found or created
	 * @throws KafkaTransportException if it cannot be found or created in time
	 */
	FailoverTopic ensure() {
		long deadline = System.nanoTime() + this.options.adminTimeout().toNanos();
		Admin admin;
		try {
			admin = Admin.create(adminConfig(this.options, this.clientId));
		}
		catch (KafkaException ex) {
			throw failure("Invalid Kafka admin configuration for failover topic '" + topic() + "': " + ex.getMessage(),
					ex);
		}
		try {
			return ensure(admin, deadline);
		}
		catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException ex) {
			throw unreachable(ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
				throw unreachable(cause);
			}
			throw failure("Could not set up failover topic '" + topic() + "' on Kafka at '"
					+ this.options.bootstrapServers() + "': " + cause, cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failure("Interrupted while setting up failover topic '" + topic() + "'", ex);
		}
		finally {
			admin.close(Duration.ofMillis(100));
		}
	}

	private FailoverTopic ensure(Admin admin, long deadline)
			throws ExecutionException, InterruptedException, TimeoutException {
		TopicDescription description = describe(admin, deadline);
		boolean created = false;
		if (description == null) {
			created = create(admin, deadline);
			description = awaitLeaders(admin, deadline);
			if (created) {
				this.createdTopicId = description.topicId();
			}
		}
		Config config = describeConfig(admin, deadline);
		FailoverTopic topic = toFailoverTopic(description, config, created);
		if (!topic.isProductionSafe()) {
			logger.warn("Failover topic '{}' is weaker than production-safe: {}. Failover keeps a single primary "
					+ "only if records the broker has acknowledged are never lost, and on this topic a broker failure "
					+ "can lose them. Use replication factor 3, min.insync.replicas 2 and "
					+ "unclean.leader.election.enable=false in production.", topic.name(),
					String.join("; ", topic.warnings()));
		}
		if (topic.cleanupPolicy() != null && !topic.cleanupPolicy().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
			logger.warn("Failover topic '{}' is not compacted (cleanup.policy={}): every instance reads all of the "
					+ "retained history when it joins, which grows with the retention time. Use cleanup.policy=compact "
					+ "with a min.compaction.lag.ms of several heartbeat timeouts.", topic.name(),
					topic.cleanupPolicy());
		}
		return topic;
	}

	/**
	 * Returns the id of the topic that {@link #ensure()} created.
	 * @return the topic id, or {@code null} if the topic existed already
	 */
	Uuid createdTopicId() {
		return this.createdTopicId;
	}

	private TopicDescription describe(Admin admin, long deadline)
			throws ExecutionException, InterruptedException, TimeoutException {
		try {
			return get(admin.describeTopics(List.of(topic())).allTopicNames(), deadline).get(topic());
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
				return null;
			}
			throw ex;
		}
	}

	private boolean create(Admin admin, long deadline)
			throws ExecutionException, InterruptedException, TimeoutException {
		int brokers = get(admin.describeCluster().nodes(), deadline).size();
		int replicationFactor = (this.options.replicationFactor() > 0) ? this.options.replicationFactor()
				: Math.max(1, Math.min(3, brokers));
		int minInSyncReplicas = (this.options.minInSyncReplicas() > 0) ? this.options.minInSyncReplicas()
				: (replicationFactor >= 3) ? 2 : 0;
		Map<String, String> configs = new LinkedHashMap<>();
		configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
		configs.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
				String.valueOf(this.options.minCompactionLag().toMillis()));
		configs.put(TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(this.options.segmentTime().toMillis()));
		// the compaction lag counts from record timestamps: the broker's own clock, not each
		// writer's, so that a producer with a clock far behind cannot get records compacted early
		configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
		configs.put(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false");
		if (minInSyncReplicas > 0) {
			configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInSyncReplicas));
		}
		configs.putAll(this.options.topicConfig());
		// the transport's partition must exist on the topic it creates
		int partitions = Math.max(this.options.partitions(), this.options.partition() + 1);
		NewTopic newTopic = new NewTopic(topic(), partitions, (short) replicationFactor)
			.configs(configs);
		try {
			get(admin.createTopics(List.of(newTopic)).all(), deadline);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof TopicExistsException) {
				// another instance created it between our look and our creation
				return false;
			}
			throw ex;
		}
		logger.info("Created failover topic '{}' on Kafka at '{}' with {} partition(s), replication factor {} and {}",
				topic(), this.options.bootstrapServers(), partitions, replicationFactor, configs);
		return true;
	}

	private TopicDescription awaitLeaders(Admin admin, long deadline)
			throws ExecutionException, InterruptedException, TimeoutException {
		// a new topic is usable once every partition has a leader; until then sends block
		while (true) {
			TopicDescription description = describe(admin, deadline);
			if (description != null && description.partitions().stream().allMatch((p) -> p.leader() != null)) {
				return description;
			}
			if (deadline - System.nanoTime() < LEADER_POLL_NANOS) {
				throw new TimeoutException("no leader for every partition of the new topic");
			}
			TimeUnit.NANOSECONDS.sleep(LEADER_POLL_NANOS);
		}
	}

	private Config describeConfig(Admin admin, long deadline) throws ExecutionException, InterruptedException,
			TimeoutException {
		ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic());
		try {
			return get(admin.describeConfigs(List.of(resource)).all(), deadline).get(resource);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof AuthorizationException) {
				logger.warn("Cannot read the configuration of failover topic '{}' ({}); its safety settings were not "
						+ "checked", topic(), ex.getCause().getMessage());
				return null;
			}
			throw ex;
		}
	}

	private FailoverTopic toFailoverTopic(TopicDescription description, Config config, boolean created) {
		int replicationFactor = description.partitions()
			.stream()
			.mapToInt((partition) -> partition.replicas().size())
			.min()
			.orElse(0);
		int minInSyncReplicas = KafkaClientOverrides
			.parseInt(value(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), -1);
		boolean unclean = Boolean.parseBoolean(value(config, TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG));
		List<String> warnings = new ArrayList<>();
		if (replicationFactor < 3) {
			warnings.add("replication factor is " + replicationFactor + " (use 3)");
		}
		if (config != null && minInSyncReplicas < 2) {
			warnings.add("min.insync.replicas is " + minInSyncReplicas + " (use 2)");
		}
		if (unclean) {
			warnings.add("unclean.leader.election.enable is true (use false)");
		}
		List<TopicPartitionInfo> partitions = description.partitions();
		return new FailoverTopic(topic(), partitions.size(), replicationFactor, minInSyncReplicas, unclean,
				value(config, TopicConfig.CLEANUP_POLICY_CONFIG), created, warnings);
	}

	private static String value(Config config, String name) {
		ConfigEntry entry = (config != null) ? config.get(name) : null;
		return (entry != null) ? entry.value() : null;
	}

	/**
	 * Returns the configuration of an admin client of the transport: the options' admin
	 * settings, with timeouts no longer than the admin timeout, and without Kafka's own
	 * rebootstrapping unless the settings ask for it: while no broker can be reached, the
	 * admin client of kafka-clients 4 rebootstraps in a loop that logs "Rebootstrapping" at
	 * INFO ever faster (a hundred lines a second more every second, thousands a second
	 * within a minute, with a single call pending). The transport starts a new admin client
	 * instead when its calls keep failing ({@link TopicLookup}), which looks the bootstrap
	 * servers up again just the same.
	 */
	static Map<String, Object> adminConfig(KafkaTransportOptions options, String clientId) {
		Map<String, Object> config = new LinkedHashMap<>(options.adminConfig());
		config.putIfAbsent(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
		int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, options.adminTimeout().toMillis()));
		int requestTimeout = Math.min(timeout,
				KafkaClientOverrides.parseInt(config.get(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG), timeout));
		config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(requestTimeout));
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout));
		config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
		return config;
	}

	private static <T> T get(KafkaFuture<T> future, long deadline)
			throws ExecutionException, InterruptedException, TimeoutException {
		long remaining = deadline - System.nanoTime();
		if (remaining <= 0) {
			throw new TimeoutException("admin timeout elapsed");
		}
		return future.get(remaining, TimeUnit.NANOSECONDS);
	}

	private KafkaTransportException unreachable(Throwable cause) {
		return failure("Could not reach Kafka at '" + this.options.bootstrapServers() + "' within "
				+ this.options.adminTimeout().toMillis() + " ms to set up failover topic '" + topic()
				+ "'. Check the bootstrap servers, the security settings and that the brokers are running.", cause);
	}

	private KafkaTransportException failure(String message, Throwable cause) {
		return new KafkaTransportException(topic(), this.options.bootstrapServers(), message, cause);
	}

	private String topic() {
		return this.options.topic();
	}

}
