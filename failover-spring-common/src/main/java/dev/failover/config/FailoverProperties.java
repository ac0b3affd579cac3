package dev.failover.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.failover.core.FailoverConfig;
import dev.failover.core.Role;

/**
 * Configuration properties for primary/secondary failover ({@code failover.*}).
 * <p>
 * Durations left unset are derived from the heartbeat interval and timeout exactly as the
 * core's {@link FailoverConfig} derives them, so {@link #toConfig()} of the defaults equals
 * {@link FailoverConfig#defaults()}.
 */
@ConfigurationProperties("failover")
public class FailoverProperties {

	/**
	 * Whether automatic failover is enabled. When false, no Kafka connection is opened, no
	 * thread is started, and the instance keeps its configured role.
	 */
	private boolean enabled;

	/**
	 * Preferred role of this instance. With failover enabled, a preferred primary claims
	 * first; with failover disabled, the role the instance keeps.
	 */
	private Role role = Role.PRIMARY;

	/**
	 * Unique id of this instance within its group. Defaults to the host name and process id.
	 */
	private String instanceId;

	/**
	 * Failover group: the instances that elect one primary among themselves. Defaults to
	 * 'spring.application.name'.
	 */
	private String group;

	/**
	 * How often the primary publishes a heartbeat.
	 */
	private Duration heartbeatInterval = Duration.ofSeconds(5);

	/**
	 * How long secondaries wait without a heartbeat before one claims the primary role; at
	 * least twice the heartbeat interval.
	 */
	private Duration heartbeatTimeout = Duration.ofSeconds(15);

	/**
	 * How much shorter than the heartbeat timeout the primary's lease is. Defaults to a
	 * fifth of the heartbeat timeout.
	 */
	private Duration leaseMargin;

	/**
	 * Priority among candidates of the same preferred role; higher claims first.
	 */
	private int priority;

	/**
	 * First delay before retrying after a failed claim or promotion. Defaults to a tenth of
	 * the heartbeat interval.
	 */
	private Duration claimBackoffMin;

	/**
	 * Largest delay before retrying after failed claims or promotions. Defaults to the
	 * heartbeat interval.
	 */
	private Duration claimBackoffMax;

	/**
	 * Extra delay per rank of less preferred candidates when several claim at once. Defaults
	 * to a twentieth of the heartbeat interval.
	 */
	private Duration claimStagger;

	/**
	 * Largest record accepted from the heartbeat topic; larger records are counted and
	 * skipped.
	 */
	private DataSize maxRecordSize = DataSize.ofKilobytes(64);

	/**
	 * Shared secret that signs every record (HMAC-SHA256); when set, unsigned or forged
	 * records are rejected. At least 16 bytes, the same on every instance of the group.
	 */
	private String signingKey;

	/**
	 * Further keys whose signatures are accepted besides the signing key's, to turn signing on
	 * or rotate the key by rolling restarts: first every instance accepts the new key, then
	 * each signs with it, then the old one is dropped.
	 */
	private List<String> acceptedSigningKeys = new ArrayList<>();

	/**
	 * Whether unsigned records are accepted although this instance signs: only while signing
	 * is being turned on by rolling restarts (first every instance accepts the key, then each
	 * signs with it and accepts unsigned records, then this is turned off everywhere).
	 */
	private boolean acceptUnsignedRecords;

	/**
	 * How long a graceful shutdown waits for the handover announcement to be acknowledged
	 * and for the successor to take over (the latter at most one heartbeat interval, and
	 * half this time).
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(5);

	/**
	 * What the application does when its lease lapses because the broker became unreachable
	 * or the process was paused.
	 */
	private LeaseLostAction onLeaseLost = LeaseLostAction.STEP_DOWN;

	/**
	 * Whether to rehearse a switchover and a graceful handover once at start-up, between two
	 * silent watchers on an in-memory log (no Kafka, well under a second), so that this
	 * instance's first real handover or promotion runs code that is already loaded and linked.
	 */
	private boolean rehearseHandover = true;

	private final Kafka kafka = new Kafka();

	private final PrimaryOnly primaryOnly = new PrimaryOnly();

	private final Readiness readiness = new Readiness();

	private final Health health = new Health();

	private final ProcessProbe processProbe = new ProcessProbe();

	/**
	 * Maps these properties onto the core's validated configuration.
	 * @return the configuration
	 * @throws dev.failover.core.FailoverConfigException naming the invalid property
	 */
	public FailoverConfig toConfig() {
		return FailoverConfig.builder()
			.enabled(this.enabled)
			.role(this.role)
			.heartbeatInterval(this.heartbeatInterval)
			.heartbeatTimeout(this.heartbeatTimeout)
			.leaseMargin(this.leaseMargin)
			.priority(this.priority)
			.claimBackoffMin(this.claimBackoffMin)
			.claimBackoffMax(this.claimBackoffMax)
			.claimStagger(this.claimStagger)
			.maxRecordSize((this.maxRecordSize != null) ? (int) Math.min(Integer.MAX_VALUE, this.maxRecordSize.toBytes())
					: FailoverConfig.DEFAULT_MAX_RECORD_SIZE)
			.signingKey(this.signingKey)
			.acceptedSigningKeys(this.acceptedSigningKeys)
			.acceptUnsigned(this.acceptUnsignedRecords)
			.shutdownTimeout(this.shutdownTimeout)
			.processProbe(this.processProbe.isEnabled())
			.processProbeHost(this.processProbe.getHost())
			.processProbePort(this.processProbe.getPort())
			.build();
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Role getRole() {
		return this.role;
	}

	public void setRole(Role role) {
		this.role = role;
	}

	public String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(String instanceId) {
		this.instanceId = instanceId;
	}

	public String getGroup() {
		return this.group;
	}

	public void setGroup(String group) {
		this.group = group;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public Duration getHeartbeatTimeout() {
		return this.heartbeatTimeout;
	}

	public void setHeartbeatTimeout(Duration heartbeatTimeout) {
		this.heartbeatTimeout = heartbeatTimeout;
	}

	public Duration getLeaseMargin() {
		return this.leaseMargin;
	}

	public void setLeaseMargin(Duration leaseMargin) {
		this.leaseMargin = leaseMargin;
	}

	public int getPriority() {
		return this.priority;
	}

	public void setPriority(int priority) {
		this.priority = priority;
	}

	public Duration getClaimBackoffMin() {
		return this.claimBackoffMin;
	}

	public void setClaimBackoffMin(Duration claimBackoffMin) {
		this.claimBackoffMin = claimBackoffMin;
	}

	public Duration getClaimBackoffMax() {
		return this.claimBackoffMax;
	}

	public void setClaimBackoffMax(Duration claimBackoffMax) {
		this.claimBackoffMax = claimBackoffMax;
	}

	public Duration getClaimStagger() {
		return this.claimStagger;
	}

	public void setClaimStagger(Duration claimStagger) {
		this.claimStagger = claimStagger;
	}

	public DataSize getMaxRecordSize() {
		return this.maxRecordSize;
	}

	public void setMaxRecordSize(DataSize maxRecordSize) {
		this.maxRecordSize = maxRecordSize;
	}

	public String getSigningKey() {
		return this.signingKey;
	}

	public void setSigningKey(String signingKey) {
		this.signingKey = signingKey;
	}

	public boolean isAcceptUnsignedRecords() {
		return this.acceptUnsignedRecords;
	}

	public void setAcceptUnsignedRecords(boolean acceptUnsignedRecords) {
		this.acceptUnsignedRecords = acceptUnsignedRecords;
	}

	public List<String> getAcceptedSigningKeys() {
		return this.acceptedSigningKeys;
	}

	public void setAcceptedSigningKeys(List<String> acceptedSigningKeys) {
		this.acceptedSigningKeys = acceptedSigningKeys;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public boolean isRehearseHandover() {
		return this.rehearseHandover;
	}

	public void setRehearseHandover(boolean rehearseHandover) {
		this.rehearseHandover = rehearseHandover;
	}

	public LeaseLostAction getOnLeaseLost() {
		return this.onLeaseLost;
	}

	public void setOnLeaseLost(LeaseLostAction onLeaseLost) {
		this.onLeaseLost = onLeaseLost;
	}

	public Kafka getKafka() {
		return this.kafka;
	}

	public PrimaryOnly getPrimaryOnly() {
		return this.primaryOnly;
	}

	public ProcessProbe getProcessProbe() {
		return this.processProbe;
	}

	public Health getHealth() {
		return this.health;
	}

	public Readiness getReadiness() {
		return this.readiness;
	}

	/**
	 * What to do when the primary's lease lapses.
	 */
	public enum LeaseLostAction {

		/** Step down to secondary and keep watching; the group elects again. */
		STEP_DOWN,

		/** Step down, then close the application context and exit with status 1. */
		EXIT

	}

	/**
	 * Kafka settings of the heartbeat transport, on top of 'spring.kafka.*'.
	 */
	public static class Kafka {

		/**
		 * Topic that carries the heartbeats, claims and shutdown notices of every group.
		 */
		private String topic = "failover-heartbeats";

		/**
		 * Whether to create the topic, if it does not exist, when the watcher first joins its
		 * group (and to check that it is replicated safely).
		 */
		private boolean createTopic = true;

		/**
		 * Number of partitions of a created topic (at least 'partition' + 1); failover uses
		 * only one of them.
		 */
		private int partitions = 1;

		/**
		 * Partition of the topic that carries the records of every group. Every instance of a
		 * group must use the same one; adding partitions to the topic later changes nothing.
		 */
		private int partition;

		/**
		 * Replication factor of a created topic. Defaults to 3, or the number of brokers if
		 * fewer.
		 */
		private Short replicationFactor;

		/**
		 * How long records stay uncompacted on a created topic, so that recent claims can
		 * always be checked; several heartbeat timeouts at least.
		 */
		private Duration minCompactionLag = Duration.ofHours(1);

		/**
		 * How long creating or checking the topic may take before it is retried.
		 */
		private Duration operationTimeout = Duration.ofSeconds(30);

		/**
		 * Additional Kafka client properties for the failover producer, consumer and admin
		 * client, applied on top of 'spring.kafka.*' (for instance SSL or SASL settings).
		 */
		private final Map<String, String> properties = new HashMap<>();

		public String getTopic() {
			return this.topic;
		}

		public void setTopic(String topic) {
			this.topic = topic;
		}

		public boolean isCreateTopic() {
			return this.createTopic;
		}

		public void setCreateTopic(boolean createTopic) {
			this.createTopic = createTopic;
		}

		public int getPartitions() {
			return this.partitions;
		}

		public void setPartitions(int partitions) {
			this.partitions = partitions;
		}

		public int getPartition() {
			return this.partition;
		}

		public void setPartition(int partition) {
			this.partition = partition;
		}

		public Short getReplicationFactor() {
			return this.replicationFactor;
		}

		public void setReplicationFactor(Short replicationFactor) {
			this.replicationFactor = replicationFactor;
		}

		public Duration getMinCompactionLag() {
			return this.minCompactionLag;
		}

		public void setMinCompactionLag(Duration minCompactionLag) {
			this.minCompactionLag = minCompactionLag;
		}

		public Duration getOperationTimeout() {
			return this.operationTimeout;
		}

		public void setOperationTimeout(Duration operationTimeout) {
			this.operationTimeout = operationTimeout;
		}

		public Map<String, String> getProperties() {
			return this.properties;
		}

	}

	/**
	 * Components that run only on the primary.
	 */
	public static class PrimaryOnly {

		/**
		 * Names of Lifecycle beans started on promotion and stopped on demotion.
		 */
		private List<String> lifecycleBeans = new ArrayList<>();

		/**
		 * Ids of Kafka listener containers (@KafkaListener id) started on promotion and
		 * stopped on demotion.
		 */
		private List<String> kafkaListeners = new ArrayList<>();

		public List<String> getLifecycleBeans() {
			return this.lifecycleBeans;
		}

		public void setLifecycleBeans(List<String> lifecycleBeans) {
			this.lifecycleBeans = lifecycleBeans;
		}

		public List<String> getKafkaListeners() {
			return this.kafkaListeners;
		}

		public void setKafkaListeners(List<String> kafkaListeners) {
			this.kafkaListeners = kafkaListeners;
		}

	}

	/**
	 * Mapping of the role onto the application's readiness state.
	 */
	public static class Readiness {

		/**
		 * Whether only the primary reports itself ready to accept traffic (readiness probe
		 * and 'readiness' health group); secondaries refuse traffic.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Settings of the 'failover' health contributor.
	 */
	public static class Health {

		/**
		 * Health status the 'failover' contributor reports while the heartbeat topic cannot be
		 * read: DOWN, OUT_OF_SERVICE, UNKNOWN or UP. With DOWN (the default) the whole
		 * '/actuator/health' of every instance goes DOWN while Kafka is away; UNKNOWN or UP
		 * keep it up and leave the outage to the 'failover' details and the metrics.
		 */
		private String logUnreachableStatus = "DOWN";

		public String getLogUnreachableStatus() {
			return this.logUnreachableStatus;
		}

		public void setLogUnreachableStatus(String logUnreachableStatus) {
			this.logUnreachableStatus = logUnreachableStatus;
		}

	}

	/**
	 * Fast crash detection: each instance holds a TCP endpoint open while it runs, the
	 * primary names it in its heartbeats, and secondaries keep a connection to it. When that
	 * connection ends and a new one is refused, the primary's process is gone and a secondary
	 * takes over at once instead of after 'heartbeat-timeout'. Assumes that the network does
	 * not forge TCP resets or refusals (no middlebox that does, no port reused by another
	 * process within the blink of a crash); pauses, vanished hosts and network cuts give no
	 * such evidence and fall back to the timeout.
	 */
	public static class ProcessProbe {

		/**
		 * Whether this instance opens a probe endpoint and watches the primary's.
		 */
		private boolean enabled;

		/**
		 * Address the probe endpoint listens on and is announced at, as the other instances
		 * reach this one. Defaults to this host's address.
		 */
		private String host;

		/**
		 * Port of the probe endpoint; 0 for one the system picks (it is announced in the
		 * heartbeats).
		 */
		private int port;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

	}

}
