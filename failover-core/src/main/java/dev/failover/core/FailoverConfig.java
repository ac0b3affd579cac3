package dev.failover.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;


/**
 * The immutable, validated settings of a {@link Watcher}.
 * <p>
 * {@link #defaults()} matches the original Go package: a heartbeat every 5 s, a timeout of
 * 15 s, failover disabled. Settings left unset are derived from the heartbeat interval and
 * timeout, so that changing those two keeps every other setting consistent:
 * <ul>
 * <li>lease margin = timeout / 5 (the primary's lease is timeout − margin);</li>
 * <li>claim back-off = interval / 10 up to interval;</li>
 * <li>claim stagger = interval / 20.</li>
 * </ul>
 * {@link Builder#build()} rejects inconsistent values with a {@link FailoverConfigException}
 * that names the setting and the fix.
 */
public final class FailoverConfig {

	/** The default heartbeat interval: 5 s. */
	public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

	/** The default heartbeat timeout: 15 s. */
	public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(15);

	/** The default largest accepted record: 64 KiB. */
	public static final int DEFAULT_MAX_RECORD_SIZE = 64 * 1024;

	/** The default time a graceful shutdown waits for its announcement to be acknowledged. */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	private final Duration heartbeatInterval;

	private final Duration heartbeatTimeout;

	private final Duration leaseMargin;

	private final boolean enabled;

	private final Role role;

	private final int priority;

	private final Duration claimBackoffMin;

	private final Duration claimBackoffMax;

	private final Duration claimStagger;

	private final int maxRecordSize;

	private final String signingKey;

	private final List<String> acceptedSigningKeys;

	private final boolean acceptUnsigned;

	private final Duration shutdownTimeout;

	private final boolean processProbe;

	private final String processProbeHost;

	private final int processProbePort;

	private FailoverConfig(Builder builder) {
		this.heartbeatInterval = builder.heartbeatInterval;
		this.heartbeatTimeout = builder.heartbeatTimeout;
		this.enabled = builder.enabled;
		this.role = builder.role;
		this.priority = builder.priority;
		this.leaseMargin = (builder.leaseMargin != null) ? builder.leaseMargin : this.heartbeatTimeout.dividedBy(5);
		this.claimBackoffMin = (builder.claimBackoffMin != null) ? builder.claimBackoffMin
				: this.heartbeatInterval.dividedBy(10);
		this.claimBackoffMax = (builder.claimBackoffMax != null) ? builder.claimBackoffMax : this.heartbeatInterval;
		this.claimStagger = (builder.claimStagger != null) ? builder.claimStagger : this.heartbeatInterval.dividedBy(20);
		this.maxRecordSize = builder.maxRecordSize;
		this.signingKey = (builder.signingKey != null && !builder.signingKey.isEmpty()) ? builder.signingKey : null;
		this.acceptedSigningKeys = builder.acceptedSigningKeys.stream()
			.filter((key) -> key != null && !key.isEmpty() && !key.equals(this.signingKey))
			.distinct()
			.toList();
		this.acceptUnsigned = builder.acceptUnsigned;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.processProbe = builder.processProbe;
		this.processProbeHost = builder.processProbeHost;
		this.processProbePort = builder.processProbePort;
	}

	/**
	 * Returns the defaults of the original package: 5 s interval, 15 s timeout, disabled.
	 * @return the default configuration
	 */
	public static FailoverConfig defaults() {
		return builder().build();
	}

	/**
	 * Returns a builder starting from the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Returns a builder starting from this configuration's explicit values.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder().heartbeatInterval(this.heartbeatInterval)
			.heartbeatTimeout(this.heartbeatTimeout)
			.leaseMargin(this.leaseMargin)
			.enabled(this.enabled)
			.role(this.role)
			.priority(this.priority)
			.claimBackoffMin(this.claimBackoffMin)
			.claimBackoffMax(this.claimBackoffMax)
			.claimStagger(this.claimStagger)
			.maxRecordSize(this.maxRecordSize)
			.signingKey(this.signingKey)
			.acceptedSigningKeys(this.acceptedSigningKeys)
			.acceptUnsigned(this.acceptUnsigned)
			.shutdownTimeout(this.shutdownTimeout)
			.processProbe(this.processProbe)
			.processProbeHost(this.processProbeHost)
			.processProbePort(this.processProbePort);
	}

	/**
	 * Returns how often the primary publishes a heartbeat.
	 * @return the heartbeat interval
	 */
	public Duration heartbeatInterval() {
		return this.heartbeatInterval;
	}

	/**
	 * Returns how long a secondary waits without a heartbeat before it claims the primary role.
	 * @return the heartbeat timeout
	 */
	public Duration heartbeatTimeout() {
		return this.heartbeatTimeout;
	}

	/**
	 * Returns how much shorter than the timeout the primary's lease is.
	 * @return the lease margin
	 */
	public Duration leaseMargin() {
		return this.leaseMargin;
	}

	/**
	 * Returns how long the primary may act after starting to send a heartbeat that it has
	 * read back: the timeout minus the lease margin.
	 * @return the lease duration
	 */
	public Duration lease() {
		return this.heartbeatTimeout.minus(this.leaseMargin);
	}

	/**
	 * Returns whether automatic failover is enabled when the watcher starts.
	 * @return {@code true} if enabled
	 */
	public boolean enabled() {
		return this.enabled;
	}

	/**
	 * Returns the preferred role: with failover enabled, a preferred primary claims first;
	 * with failover disabled, the role the instance keeps.
	 * @return the preferred role
	 */
	public Role role() {
		return this.role;
	}

	/**
	 * Returns the priority among candidates of the same preferred role (higher claims first).
	 * @return the priority
	 */
	public int priority() {
		return this.priority;
	}

	/**
	 * Returns the first delay before retrying after a failed claim or promotion.
	 * @return the minimum back-off
	 */
	public Duration claimBackoffMin() {
		return this.claimBackoffMin;
	}

	/**
	 * Returns the largest delay before retrying after failed claims or promotions.
	 * @return the maximum back-off
	 */
	public Duration claimBackoffMax() {
		return this.claimBackoffMax;
	}

	/**
	 * Returns how much later each less preferred candidate claims than the one before it.
	 * @return the claim stagger
	 */
	public Duration claimStagger() {
		return this.claimStagger;
	}

	/**
	 * Returns the largest record accepted from the log, in bytes.
	 * @return the maximum record size
	 */
	public int maxRecordSize() {
		return this.maxRecordSize;
	}

	/**
	 * Returns the shared secret that signs and verifies records, or {@code null} when
	 * records are not signed.
	 * @return the signing key, or {@code null}
	 */
	public String signingKey() {
		return this.signingKey;
	}

	/**
	 * Returns further keys whose signatures are accepted besides the signing key's, for a
	 * rolling change of the key.
	 * @return the accepted keys, without the signing key, possibly empty
	 */
	public List<String> acceptedSigningKeys() {
		return this.acceptedSigningKeys;
	}

	/**
	 * Returns whether unsigned records are accepted although records are signed, while
	 * signing is being turned on by rolling restarts.
	 * @return {@code true} to accept unsigned records
	 */
	public boolean acceptUnsigned() {
		return this.acceptUnsigned;
	}

	/**
	 * Returns how long {@link Watcher#close()} waits for the shutdown announcement.
	 * @return the shutdown timeout
	 */
	public Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	/**
	 * Returns whether this instance opens a probe endpoint while it runs and watches the
	 * primary's, so that a dead primary's process is replaced at once (fast crash detection).
	 * @return {@code true} if the process probe is on
	 */
	public boolean processProbe() {
		return this.processProbe;
	}

	/**
	 * Returns the address the probe endpoint listens on and is announced at.
	 * @return a host name or address, or {@code null} for this host's address
	 */
	public String processProbeHost() {
		return this.processProbeHost;
	}

	/**
	 * Returns the port the probe endpoint listens on.
	 * @return the port, 0 for one the system picks
	 */
	public int processProbePort() {
		return this.processProbePort;
	}

	@Override
	public boolean equals(Object obj) {
		if (this == obj) {
			return true;
		}
		if (!(obj instanceof FailoverConfig other)) {
			return false;
		}
		return this.heartbeatInterval.equals(other.heartbeatInterval)
				&& this.heartbeatTimeout.equals(other.heartbeatTimeout) && this.leaseMargin.equals(other.leaseMargin)
				&& this.enabled == other.enabled && this.role == other.role && this.priority == other.priority
				&& this.claimBackoffMin.equals(other.claimBackoffMin)
				&& this.claimBackoffMax.equals(other.claimBackoffMax) && this.claimStagger.equals(other.claimStagger)
				&& this.maxRecordSize == other.maxRecordSize && Objects.equals(this.signingKey, other.signingKey)
				&& this.acceptedSigningKeys.equals(other.acceptedSigningKeys) && this.acceptUnsigned == other.acceptUnsigned
				&& this.shutdownTimeout.equals(other.shutdownTimeout) && this.processProbe == other.processProbe
				&& Objects.equals(this.processProbeHost, other.processProbeHost)
				&& this.processProbePort == other.processProbePort;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.heartbeatInterval, this.heartbeatTimeout, this.leaseMargin, this.enabled, this.role,
				this.priority, this.claimBackoffMin, this.claimBackoffMax, this.claimStagger, this.maxRecordSize,
				this.signingKey, this.acceptedSigningKeys, this.acceptUnsigned, this.shutdownTimeout, this.processProbe,
				this.processProbeHost, this.processProbePort);
	}

	@Override
	public String toString() {
		return "FailoverConfig[interval=" + Durations.format(this.heartbeatInterval) + ", timeout="
				+ Durations.format(this.heartbeatTimeout) + ", lease=" + Durations.format(lease()) + ", enabled="
				+ this.enabled + ", role=" + this.role + ", priority=" + this.priority + ", signed="
				+ (this.signingKey != null) + "]";
	}

	/**
	 * Builds a {@link FailoverConfig}; unset values take their defaults.
	 */
	public static final class Builder {

		private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;

		private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;

		private Duration leaseMargin;

		private boolean enabled;

		private Role role = Role.PRIMARY;

		private int priority;

		private Duration claimBackoffMin;

		private Duration claimBackoffMax;

		private Duration claimStagger;

		private int maxRecordSize = DEFAULT_MAX_RECORD_SIZE;

		private String signingKey;

		private List<String> acceptedSigningKeys = List.of();

		private boolean acceptUnsigned;

		private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

		private boolean processProbe;

		private String processProbeHost;

		private int processProbePort;

		private Builder() {
		}

		/**
		 * Sets how often the primary publishes a heartbeat (default 5 s).
		 * @param heartbeatInterval the interval
		 * @return this builder
		 */
		public Builder heartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
			return this;
		}

		/**
		 * Sets how long secondaries wait without heartbeat before claiming (default 15 s).
		 * @param heartbeatTimeout the timeout, at least twice the interval
		 * @return this builder
		 */
		public Builder heartbeatTimeout(Duration heartbeatTimeout) {
			this.heartbeatTimeout = heartbeatTimeout;
			return this;
		}

		/**
		 * Sets how much shorter than the timeout the primary's lease is (default timeout / 5).
		 * @param leaseMargin the margin, or {@code null} for the default
		 * @return this builder
		 */
		public Builder leaseMargin(Duration leaseMargin) {
			this.leaseMargin = leaseMargin;
			return this;
		}

		/**
		 * Sets whether automatic failover is enabled at start (default {@code false}).
		 * @param enabled whether enabled
		 * @return this builder
		 */
		public Builder enabled(boolean enabled) {
			this.enabled = enabled;
			return this;
		}

		/**
		 * Sets the preferred role (default {@link Role#PRIMARY}).
		 * @param role the role
		 * @return this builder
		 */
		public Builder role(Role role) {
			this.role = role;
			return this;
		}

		/**
		 * Sets the priority among candidates of the same preferred role (default 0).
		 * @param priority the priority, higher claims first
		 * @return this builder
		 */
		public Builder priority(int priority) {
			this.priority = priority;
			return this;
		}

		/**
		 * Sets the first retry delay after a failed claim or promotion (default interval / 10).
		 * @param claimBackoffMin the delay, or {@code null} for the default
		 * @return this builder
		 */
		public Builder claimBackoffMin(Duration claimBackoffMin) {
			this.claimBackoffMin = claimBackoffMin;
			return this;
		}

		/**
		 * Sets the largest retry delay after failed claims or promotions (default interval).
		 * @param claimBackoffMax the delay, or {@code null} for the default
		 * @return this builder
		 */
		public Builder claimBackoffMax(Duration claimBackoffMax) {
			this.claimBackoffMax = claimBackoffMax;
			return this;
		}

		/**
		 * Sets the extra delay per rank of less preferred candidates (default interval / 20).
		 * @param claimStagger the stagger, or {@code null} for the default
		 * @return this builder
		 */
		public Builder claimStagger(Duration claimStagger) {
			this.claimStagger = claimStagger;
			return this;
		}

		/**
		 * Sets the largest record accepted from the log (default 64 KiB).
		 * @param maxRecordSize the size in bytes
		 * @return this builder
		 */
		public Builder maxRecordSize(int maxRecordSize) {
			this.maxRecordSize = maxRecordSize;
			return this;
		}

		/**
		 * Sets the shared secret that signs records; unsigned or forged records are then
		 * rejected (default none).
		 * @param signingKey the secret, at least 16 bytes, or {@code null}
		 * @return this builder
		 */
		public Builder signingKey(String signingKey) {
			this.signingKey = signingKey;
			return this;
		}

		/**
		 * Sets whether unsigned records are accepted although records are signed (default
		 * false): only while signing is being turned on by rolling restarts, so that an
		 * instance that signs can take the role from one that does not sign yet; turn it off
		 * once every instance signs.
		 * @param acceptUnsigned whether to accept unsigned records
		 * @return this builder
		 */
		public Builder acceptUnsigned(boolean acceptUnsigned) {
			this.acceptUnsigned = acceptUnsigned;
			return this;
		}

		/**
		 * Sets further keys whose signatures are accepted (default none), so that a signing
		 * key can be turned on or rotated by rolling restarts: first every instance accepts
		 * the new key, then each signs with it, then the old one is dropped.
		 * @param acceptedSigningKeys the keys, each at least 16 bytes
		 * @return this builder
		 */
		public Builder acceptedSigningKeys(List<String> acceptedSigningKeys) {
			this.acceptedSigningKeys = List.copyOf(Objects.requireNonNull(acceptedSigningKeys, "acceptedSigningKeys"));
			return this;
		}

		/**
		 * Sets how long {@link Watcher#close()} waits for its shutdown announcement (default 5 s).
		 * @param shutdownTimeout the timeout
		 * @return this builder
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
			return this;
		}
		/**
		 * Sets whether this instance opens a probe endpoint and watches the primary's, so that
		 * a dead primary's process is replaced at once (default off; see docs/PROTOCOL.md,
		 * "Fast crash detection", for what it assumes of the network).
		 * @param processProbe whether the process probe is on
		 * @return this builder
		 */
		public Builder processProbe(boolean processProbe) {
			this.processProbe = processProbe;
			return this;
		}

		/**
		 * Sets the address the probe endpoint listens on and is announced at (default: this
		 * host's address).
		 * @param processProbeHost a host name or address, or {@code null}
		 * @return this builder
		 */
		public Builder processProbeHost(String processProbeHost) {
			this.processProbeHost = (processProbeHost != null && !processProbeHost.isBlank()) ? processProbeHost.trim()
					: null;
			return this;
		}

		/**
		 * Sets the port the probe endpoint listens on (default 0: one the system picks).
		 * @param processProbePort the port
		 * @return this builder
		 */
		public Builder processProbePort(int processProbePort) {
			this.processProbePort = processProbePort;
			return this;
		}


		/**
		 * Validates the settings and builds the configuration.
		 * @return the configuration
		 * @throws FailoverConfigException naming the first invalid setting
		 */
		public FailoverConfig build() {
			FailoverConfigValidation.checkHeartbeats(this.heartbeatInterval, this.heartbeatTimeout);
			if (this.role == null) {
				throw new FailoverConfigException("role", "role is missing.", "Set role to 'primary' or 'secondary'.");
			}
			return FailoverConfigValidation.check(new FailoverConfig(this));
		}


	}

}
