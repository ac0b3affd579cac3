package dev.failover.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The checks of {@link FailoverConfig.Builder#build()}: each names the setting and the fix.
 */
final class FailoverConfigValidation {

	/** The shortest signing key accepted, in bytes. */
	static final int MIN_SIGNING_KEY_BYTES = 16;

	private FailoverConfigValidation() {
	}

	static void checkHeartbeats(Duration interval, Duration timeout) {
		requirePositive("heartbeat-interval", interval);
		requirePositive("heartbeat-timeout", timeout);
		if (timeout.compareTo(interval.multipliedBy(2)) < 0) {
			throw new FailoverConfigException("heartbeat-timeout",
					"heartbeat-timeout (" + fmt(timeout) + ") must be at least twice heartbeat-interval ("
							+ fmt(interval) + "), or one late heartbeat would cause a failover.",
					"Set heartbeat-timeout to " + fmt(interval.multipliedBy(3))
							+ " or more, or shorten heartbeat-interval.");
		}
	}

	static FailoverConfig check(FailoverConfig config) {
		checkLease(config);
		checkClaims(config);
		checkRecords(config);
		checkProbe(config);
		return config;
	}

	private static void checkLease(FailoverConfig config) {
		requirePositive("lease-margin", config.leaseMargin());
		if (config.lease().compareTo(config.heartbeatInterval()) <= 0) {
			throw new FailoverConfigException("lease-margin",
					"the primary's lease, heartbeat-timeout minus lease-margin (" + fmt(config.heartbeatTimeout()) + " - "
							+ fmt(config.leaseMargin()) + " = " + fmt(config.lease())
							+ "), must be longer than heartbeat-interval (" + fmt(config.heartbeatInterval())
							+ "), or the primary would lose its lease between two heartbeats.",
					"Set lease-margin below " + fmt(config.heartbeatTimeout().minus(config.heartbeatInterval()))
							+ " (the default is heartbeat-timeout / 5), or raise heartbeat-timeout.");
		}
	}

	private static void checkClaims(FailoverConfig config) {
		requirePositive("claim-backoff-min", config.claimBackoffMin());
		requirePositive("claim-backoff-max", config.claimBackoffMax());
		if (config.claimBackoffMax().compareTo(config.claimBackoffMin()) < 0) {
			throw new FailoverConfigException("claim-backoff-max",
					"claim-backoff-max (" + fmt(config.claimBackoffMax()) + ") is shorter than claim-backoff-min ("
							+ fmt(config.claimBackoffMin()) + ").",
					"Set claim-backoff-max to at least " + fmt(config.claimBackoffMin()) + ".");
		}
		if (config.claimStagger().isNegative()) {
			throw new FailoverConfigException("claim-stagger",
					"claim-stagger (" + fmt(config.claimStagger()) + ") is negative.",
					"Set claim-stagger to zero or a positive duration, e.g. 50ms.");
		}
	}

	private static void checkProbe(FailoverConfig config) {
		if (config.processProbePort() < 0 || config.processProbePort() > 65535) {
			throw new FailoverConfigException("process-probe.port",
					"process-probe.port (" + config.processProbePort() + ") is not a TCP port.",
					"Set process-probe.port to 0 (a port the system picks, announced in the heartbeats) or to a "
							+ "free port between 1 and 65535.");
		}
		String host = config.processProbeHost();
		if (host != null && (host.length() > 200 || host.contains(" ") || host.contains("/"))) {
			throw new FailoverConfigException("process-probe.host",
					"process-probe.host '" + host + "' is not a host name or address.",
					"Set process-probe.host to this host's address as the other instances reach it, or leave it unset.");
		}
	}

	private static void checkRecords(FailoverConfig config) {
		if (config.maxRecordSize() < 1024 || config.maxRecordSize() > 16 * 1024 * 1024) {
			throw new FailoverConfigException("max-record-size",
					"max-record-size (" + config.maxRecordSize() + " bytes) is outside 1024 .. 16777216.",
					"Set max-record-size between 1KB and 16MB (the default is 64KB).");
		}
		if (config.signingKey() != null
				&& config.signingKey().getBytes(StandardCharsets.UTF_8).length < MIN_SIGNING_KEY_BYTES) {
			throw new FailoverConfigException("signing-key",
					"signing-key is shorter than " + MIN_SIGNING_KEY_BYTES + " bytes and too easy to guess.",
					"Use a random secret of at least 32 characters, shared by every instance of the group.");
		}
		for (String accepted : config.acceptedSigningKeys()) {
			if (accepted.getBytes(StandardCharsets.UTF_8).length < MIN_SIGNING_KEY_BYTES) {
				throw new FailoverConfigException("accepted-signing-keys",
						"a key in accepted-signing-keys is shorter than " + MIN_SIGNING_KEY_BYTES
								+ " bytes and too easy to guess.",
						"Use random secrets of at least 32 characters, as for signing-key.");
			}
		}
		if (config.shutdownTimeout() == null || config.shutdownTimeout().isNegative()) {
			throw new FailoverConfigException("shutdown-timeout",
					"shutdown-timeout (" + fmt(config.shutdownTimeout()) + ") is missing or negative.",
					"Set shutdown-timeout to zero or a positive duration, e.g. 5s.");
		}
	}

	private static void requirePositive(String property, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new FailoverConfigException(property, property + " (" + fmt(value) + ") must be positive.",
					"Set " + property + " to a positive duration such as 5s or 500ms.");
		}
	}

	private static String fmt(Duration duration) {
		return Durations.format(duration);
	}

}
