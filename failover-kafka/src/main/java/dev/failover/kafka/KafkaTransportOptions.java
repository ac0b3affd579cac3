package dev.failover.kafka;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The immutable settings of a {@link KafkaTransport}: the topic, the client configuration
 * maps, how to create the topic when it is missing, and timeouts.
 * <p>
 * The three client maps are used as given (they carry the bootstrap servers and any
 * SSL/SASL settings), except for the few settings the transport cannot work without,
 * which it always enforces: byte-array (de)serializers, {@code acks=all} and idempotence
 * for the producer, manual assignment without a consumer group for the consumers, and
 * unique client ids. Layer {@link KafkaClientOverrides} over the maps to get timeouts that
 * match the heartbeat settings.
 */
public final class KafkaTransportOptions {

	/** The default topic name. */
	public static final String DEFAULT_TOPIC = "failover-heartbeats";

	/** The default number of partitions of a created topic. */
	public static final int DEFAULT_PARTITIONS = 1;

	/** The default {@code min.compaction.lag.ms} of a created topic: 1 hour. */
	public static final Duration DEFAULT_MIN_COMPACTION_LAG = Duration.ofHours(1);

	/** The default {@code segment.ms} of a created topic: 1 hour. */
	public static final Duration DEFAULT_SEGMENT_TIME = Duration.ofHours(1);

	/** The default bound on {@link KafkaTransport#ensureTopic()}: 30 seconds. */
	public static final Duration DEFAULT_ADMIN_TIMEOUT = Duration.ofSeconds(30);

	/** The default bound on {@link KafkaTransport#close()}: 5 seconds. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

	/** The default prefix of client ids and thread names. */
	public static final String DEFAULT_CLIENT_ID_PREFIX = "failover";

	private static final Pattern TOPIC_PATTERN = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

	private final String topic;

	private final Map<String, Object> producerConfig;

	private final Map<String, Object> consumerConfig;

	private final Map<String, Object> adminConfig;

	private final int partitions;

	private final int partition;

	private final int replicationFactor;

	private final int minInSyncReplicas;

	private final Duration minCompactionLag;

	private final Duration segmentTime;

	private final Map<String, String> topicConfig;

	private final Duration adminTimeout;

	private final Duration closeTimeout;

	private final String clientIdPrefix;

	private final boolean ensureTopicOnFirstRead;

	private KafkaTransportOptions(Builder builder) {
		this.topic = builder.topic;
		this.producerConfig = freeze(builder.producerConfig);
		this.consumerConfig = freeze(builder.consumerConfig);
		this.adminConfig = freeze(builder.adminConfig);
		this.partitions = builder.partitions;
		this.partition = builder.partition;
		this.replicationFactor = builder.replicationFactor;
		this.minInSyncReplicas = builder.minInSyncReplicas;
		this.minCompactionLag = builder.minCompactionLag;
		this.segmentTime = builder.segmentTime;
		this.topicConfig = Collections.unmodifiableMap(new LinkedHashMap<>(builder.topicConfig));
		this.adminTimeout = builder.adminTimeout;
		this.closeTimeout = builder.closeTimeout;
		this.clientIdPrefix = builder.clientIdPrefix;
		this.ensureTopicOnFirstRead = builder.ensureTopicOnFirstRead;
	}

	/**
	 * Returns a new builder with the defaults.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Returns the name of the topic that carries every group's records.
	 * @return the topic name
	 */
	public String topic() {
		return this.topic;
	}

	/**
	 * Returns the producer configuration, before the transport's enforced settings.
	 * @return an unmodifiable map
	 */
	public Map<String, Object> producerConfig() {
		return this.producerConfig;
	}

	/**
	 * Returns the consumer configuration, before the transport's enforced settings.
	 * @return an unmodifiable map
	 */
	public Map<String, Object> consumerConfig() {
		return this.consumerConfig;
	}

	/**
	 * Returns the admin client configuration used by {@link KafkaTransport#ensureTopic()}.
	 * @return an unmodifiable map
	 */
	public Map<String, Object> adminConfig() {
		return this.adminConfig;
	}

	/**
	 * Returns the number of partitions of a created topic.
	 * @return the partition count
	 */
	public int partitions() {
		return this.partitions;
	}

	/**
	 * Returns the partition that carries the records of every group: the same on every
	 * instance, whatever the topic's partition count, so that adding partitions never moves
	 * a group.
	 * @return the partition number (default 0)
	 */
	public int partition() {
		return this.partition;
	}

	/**
	 * Returns the replication factor of a created topic, or 0 for min(3, number of brokers).
	 * @return the replication factor
	 */
	public int replicationFactor() {
		return this.replicationFactor;
	}

	/**
	 * Returns {@code min.insync.replicas} of a created topic, or 0 for 2 when the
	 * replication factor is at least 3 (otherwise the broker's default).
	 * @return the minimum number of in-sync replicas
	 */
	public int minInSyncReplicas() {
		return this.minInSyncReplicas;
	}

	/**
	 * Returns {@code min.compaction.lag.ms} of a created topic: how long records stay
	 * uncompacted, so that claims can always be checked against recent heartbeats.
	 * @return the minimum compaction lag
	 */
	public Duration minCompactionLag() {
		return this.minCompactionLag;
	}

	/**
	 * Returns {@code segment.ms} of a created topic: compaction never touches the active
	 * segment, so segments must roll for the log to be compacted at all.
	 * @return the segment roll time
	 */
	public Duration segmentTime() {
		return this.segmentTime;
	}

	/**
	 * Returns further topic-level settings for a created topic; they win over the
	 * transport's own.
	 * @return an unmodifiable map
	 */
	public Map<String, String> topicConfig() {
		return this.topicConfig;
	}

	/**
	 * Returns how long {@link KafkaTransport#ensureTopic()} may take before it fails.
	 * @return the admin timeout
	 */
	public Duration adminTimeout() {
		return this.adminTimeout;
	}

	/**
	 * Returns how long {@link KafkaTransport#close()} waits for pending records to be
	 * acknowledged and for its threads to end.
	 * @return the close timeout
	 */
	public Duration closeTimeout() {
		return this.closeTimeout;
	}

	/**
	 * Returns the prefix of the client ids of the transport's Kafka clients.
	 * @return the client id prefix
	 */
	public String clientIdPrefix() {
		return this.clientIdPrefix;
	}

	/**
	 * Returns whether the first subscription creates and checks the topic
	 * ({@link KafkaTransport#ensureTopic()}) before it reads, retrying until that succeeds.
	 * @return {@code true} to ensure the topic lazily
	 */
	public boolean ensureTopicOnFirstRead() {
		return this.ensureTopicOnFirstRead;
	}

	/**
	 * Returns the bootstrap servers, for messages: those of the admin configuration, or else
	 * of the producer configuration.
	 * @return the bootstrap servers, or {@code "(not configured)"}
	 */
	public String bootstrapServers() {
		Object servers = this.adminConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		if (servers == null) {
			servers = this.producerConfig.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		}
		if (servers instanceof List<?> list) {
			return String.join(",", list.stream().map(String::valueOf).toList());
		}
		return (servers != null) ? servers.toString() : "(not configured)";
	}

	@Override
	public String toString() {
		return "KafkaTransportOptions[topic=" + this.topic + ", bootstrap-servers=" + bootstrapServers()
				+ ", partition=" + this.partition + ", partitions=" + this.partitions + ", replication-factor="
				+ ((this.replicationFactor > 0) ? this.replicationFactor : "auto") + "]";
	}

	private static Map<String, Object> freeze(Map<String, Object> map) {
		return Collections.unmodifiableMap(new LinkedHashMap<>(map));
	}

	/**
	 * Builds {@link KafkaTransportOptions}.
	 */
	public static final class Builder {

		private String topic = DEFAULT_TOPIC;

		private final Map<String, Object> producerConfig = new LinkedHashMap<>();

		private final Map<String, Object> consumerConfig = new LinkedHashMap<>();

		private final Map<String, Object> adminConfig = new LinkedHashMap<>();

		private int partitions = DEFAULT_PARTITIONS;

		private int partition;

		private int replicationFactor;

		private boolean replicationFactorSet;

		private int minInSyncReplicas;

		private boolean minInSyncReplicasSet;

		private Duration minCompactionLag = DEFAULT_MIN_COMPACTION_LAG;

		private Duration segmentTime = DEFAULT_SEGMENT_TIME;

		private final Map<String, String> topicConfig = new LinkedHashMap<>();

		private Duration adminTimeout = DEFAULT_ADMIN_TIMEOUT;

		private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

		private String clientIdPrefix = DEFAULT_CLIENT_ID_PREFIX;

		private boolean ensureTopicOnFirstRead;

		private Builder() {
		}

		/**
		 * Sets the topic (default {@value KafkaTransportOptions#DEFAULT_TOPIC}).
		 * @param topic a legal Kafka topic name
		 * @return this builder
		 */
		public Builder topic(String topic) {
			this.topic = topic;
			return this;
		}

		/**
		 * Sets {@code bootstrap.servers} in the producer, consumer and admin configurations.
		 * @param bootstrapServers e.g. {@code "127.0.0.1:9092"}
		 * @return this builder
		 */
		public Builder bootstrapServers(String bootstrapServers) {
			Objects.requireNonNull(bootstrapServers, "bootstrapServers");
			this.producerConfig.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
			this.consumerConfig.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
			this.adminConfig.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
			return this;
		}

		/**
		 * Adds producer settings (later calls win).
		 * @param config e.g. Boot's {@code KafkaProperties.buildProducerProperties()} with
		 * {@link KafkaClientOverrides#producer(Duration, Duration)} layered over it
		 * @return this builder
		 */
		public Builder producerConfig(Map<String, ?> config) {
			this.producerConfig.putAll(Objects.requireNonNull(config, "producerConfig"));
			return this;
		}

		/**
		 * Adds consumer settings (later calls win). A {@code group.id} is ignored: the
		 * transport assigns partitions itself and never joins a consumer group.
		 * @param config e.g. Boot's {@code KafkaProperties.buildConsumerProperties()} with
		 * {@link KafkaClientOverrides#consumer(Duration, Duration)} layered over it
		 * @return this builder
		 */
		public Builder consumerConfig(Map<String, ?> config) {
			this.consumerConfig.putAll(Objects.requireNonNull(config, "consumerConfig"));
			return this;
		}

		/**
		 * Adds admin client settings (later calls win).
		 * @param config e.g. Boot's {@code KafkaProperties.buildAdminProperties()}
		 * @return this builder
		 */
		public Builder adminConfig(Map<String, ?> config) {
			this.adminConfig.putAll(Objects.requireNonNull(config, "adminConfig"));
			return this;
		}

		/**
		 * Sets the number of partitions of a created topic (default 1). An existing topic
		 * keeps its partitions.
		 * @param partitions at least 1
		 * @return this builder
		 */
		public Builder partitions(int partitions) {
			this.partitions = partitions;
			return this;
		}

		/**
		 * Sets the partition that carries the records of every group (default 0). Every
		 * instance of a group must use the same one; the topic must have it (a created topic
		 * gets at least {@code partition + 1} partitions).
		 * @param partition a partition number, not negative
		 * @return this builder
		 */
		public Builder partition(int partition) {
			this.partition = partition;
			return this;
		}

		/**
		 * Sets the replication factor of a created topic (unset: min(3, brokers)).
		 * @param replicationFactor at least 1 (unset: 3, or the number of brokers if fewer)
		 * @return this builder
		 */
		public Builder replicationFactor(int replicationFactor) {
			this.replicationFactor = replicationFactor;
			this.replicationFactorSet = true;
			return this;
		}

		/**
		 * Sets {@code min.insync.replicas} of a created topic (unset: 2 when the
		 * replication factor is at least 3).
		 * @param minInSyncReplicas at least 1 (unset: 2 with three replicas or more, else 1)
		 * @return this builder
		 */
		public Builder minInSyncReplicas(int minInSyncReplicas) {
			this.minInSyncReplicas = minInSyncReplicas;
			this.minInSyncReplicasSet = true;
			return this;
		}

		/**
		 * Sets {@code min.compaction.lag.ms} of a created topic (default 1 hour); keep it
		 * several heartbeat timeouts long.
		 * @param minCompactionLag a positive duration
		 * @return this builder
		 */
		public Builder minCompactionLag(Duration minCompactionLag) {
			this.minCompactionLag = minCompactionLag;
			return this;
		}

		/**
		 * Sets {@code segment.ms} of a created topic (default 1 hour).
		 * @param segmentTime a positive duration
		 * @return this builder
		 */
		public Builder segmentTime(Duration segmentTime) {
			this.segmentTime = segmentTime;
			return this;
		}

		/**
		 * Adds topic-level settings for a created topic; they win over the transport's own.
		 * @param config topic settings, e.g. {@code max.message.bytes}
		 * @return this builder
		 */
		public Builder topicConfig(Map<String, String> config) {
			this.topicConfig.putAll(Objects.requireNonNull(config, "topicConfig"));
			return this;
		}

		/**
		 * Sets how long {@link KafkaTransport#ensureTopic()} may take (default 30 s).
		 * @param adminTimeout a positive duration
		 * @return this builder
		 */
		public Builder adminTimeout(Duration adminTimeout) {
			this.adminTimeout = adminTimeout;
			return this;
		}

		/**
		 * Sets how long {@link KafkaTransport#close()} may take (default 5 s).
		 * @param closeTimeout a positive duration
		 * @return this builder
		 */
		public Builder closeTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
			return this;
		}

		/**
		 * Sets the prefix of client ids (default {@value KafkaTransportOptions#DEFAULT_CLIENT_ID_PREFIX}).
		 * @param clientIdPrefix a non-empty prefix
		 * @return this builder
		 */
		public Builder clientIdPrefix(String clientIdPrefix) {
			this.clientIdPrefix = clientIdPrefix;
			return this;
		}

		/**
		 * Sets whether the first subscription creates and checks the topic before it reads
		 * (default {@code false}): so that nothing connects before a watcher joins, and a
		 * broker that is down at startup delays the join instead of failing the application.
		 * @param ensureTopicOnFirstRead whether to ensure the topic lazily
		 * @return this builder
		 */
		public Builder ensureTopicOnFirstRead(boolean ensureTopicOnFirstRead) {
			this.ensureTopicOnFirstRead = ensureTopicOnFirstRead;
			return this;
		}

		/**
		 * Validates and builds the options.
		 * @return the options
		 * @throws InvalidKafkaOptionException naming the first invalid setting
		 */
		public KafkaTransportOptions build() {
			if (this.topic == null || !TOPIC_PATTERN.matcher(this.topic).matches() || this.topic.equals(".")
					|| this.topic.equals("..")) {
				throw new InvalidKafkaOptionException("topic", "'" + this.topic + "' is not a legal Kafka topic name.",
						"Use 1 to 249 letters, digits, '.', '_' or '-', e.g. failover-heartbeats.");
			}
			if (this.partitions < 1) {
				throw new InvalidKafkaOptionException("partitions",
						"partitions (" + this.partitions + ") must be at least 1.",
						"Set partitions to 1 (one partition serves any number of groups).");
			}
			if (this.partition < 0) {
				throw new InvalidKafkaOptionException("partition",
						"partition (" + this.partition + ") must not be negative.",
						"Set partition to 0 (the default), or to another partition of the topic; the same on every "
								+ "instance of a group.");
			}
			if (this.replicationFactorSet && (this.replicationFactor < 1 || this.replicationFactor > Short.MAX_VALUE)) {
				throw new InvalidKafkaOptionException("replicationFactor",
						"replicationFactor (" + this.replicationFactor + ") must be at least 1.",
						"Set replicationFactor to 3 in production, or leave it unset (3, or the number of brokers if "
								+ "fewer).");
			}
			if (this.minInSyncReplicasSet && this.minInSyncReplicas < 1) {
				throw new InvalidKafkaOptionException("minInSyncReplicas",
						"minInSyncReplicas (" + this.minInSyncReplicas + ") must be at least 1.",
						"Set minInSyncReplicas to 2 in production, or leave it unset.");
			}
			requirePositive("minCompactionLag", this.minCompactionLag, "several heartbeat timeouts, e.g. 1h");
			requirePositive("segmentTime", this.segmentTime, "e.g. 1h");
			requirePositive("adminTimeout", this.adminTimeout, "e.g. 30s");
			requirePositive("closeTimeout", this.closeTimeout, "e.g. 5s");
			if (this.clientIdPrefix == null || this.clientIdPrefix.isBlank()) {
				throw new InvalidKafkaOptionException("clientIdPrefix", "clientIdPrefix must not be empty.",
						"Set it to a short name, e.g. failover.");
			}
			return new KafkaTransportOptions(this);
		}

		private static void requirePositive(String name, Duration value, String example) {
			if (value == null || value.isNegative() || value.isZero()) {
				throw new InvalidKafkaOptionException(name, name + " (" + value + ") must be positive.",
						"Set it to a positive duration, " + example + ".");
			}
		}
	}

}
