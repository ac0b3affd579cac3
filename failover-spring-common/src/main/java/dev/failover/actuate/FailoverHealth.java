package dev.failover.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.failover.core.Durations;
import dev.failover.core.FailoverConfigException;
import dev.failover.core.Watcher;
import dev.failover.core.WatcherStatus;

/**
 * What the {@code failover} health contributor reports, the same on every Spring Boot
 * generation (each has its own health API, and a thin indicator over this): UP while the
 * group has a primary and this instance can read the heartbeat topic; DOWN when the group
 * has had no primary for longer than the heartbeat timeout; while failover is enabled and
 * the topic is unreachable, the status the operator chose
 * ({@code failover.health.log-unreachable-status}, DOWN by default). Details: role, epoch,
 * primary, instance, group, and what is wrong.
 */
public final class FailoverHealth {

	/** The statuses an unreachable log may be reported as. */
	public static final List<String> STATUSES = List.of("DOWN", "OUT_OF_SERVICE", "UNKNOWN", "UP");

	/**
	 * A health report: a status code and its details.
	 *
	 * @param status the status code, such as {@code UP}
	 * @param details the details, in order
	 */
	public record Report(String status, Map<String, Object> details) {
	}

	private final Watcher watcher;

	private final String logUnreachable;

	/**
	 * Creates the health of a watcher.
	 * @param watcher the watcher to report on
	 * @param logUnreachable the status code to report while the heartbeat topic cannot be read
	 */
	public FailoverHealth(Watcher watcher, String logUnreachable) {
		this.watcher = watcher;
		this.logUnreachable = statusCode(logUnreachable);
	}

	/**
	 * Returns the status code a configured value names.
	 * @param value the value of {@code failover.health.log-unreachable-status}
	 * @return one of {@link #STATUSES}
	 * @throws FailoverConfigException naming the property, for any other value
	 */
	public static String statusCode(String value) {
		String code = (value != null) ? value.trim().toUpperCase(Locale.ROOT).replace('-', '_') : "";
		if (STATUSES.contains(code)) {
			return code;
		}
		throw new FailoverConfigException("health.log-unreachable-status",
				"health.log-unreachable-status '" + value + "' is not a health status this contributor can report.",
				"Set health.log-unreachable-status to DOWN (the default), OUT_OF_SERVICE, UNKNOWN or UP.");
	}

	/**
	 * Checks the watcher now.
	 * @return the report
	 */
	public Report check() {
		WatcherStatus status = this.watcher.status();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("role", status.role().label());
		details.put("epoch", status.epoch());
		details.put("primary", (status.primaryId() != null) ? status.primaryId() : "none");
		details.put("instanceId", status.instanceId());
		details.put("group", status.group());
		details.put("enabled", status.enabled());
		if (!status.connected()) {
			details.put("mode", "static role (automatic failover never enabled)");
			return new Report("UP", details);
		}
		details.put("logReachable", status.logReachable());
		if (!status.logReachable()) {
			details.put("problem", "the heartbeat topic cannot be read");
			return new Report(this.logUnreachable, details);
		}
		Duration missing = status.primaryMissingFor();
		if (status.enabled() && missing.compareTo(status.heartbeatTimeout()) > 0) {
			details.put("problem", "no primary for " + Durations.format(missing.withNanos(0)) + " (timeout "
					+ Durations.format(status.heartbeatTimeout()) + ")");
			return new Report("DOWN", details);
		}
		return new Report("UP", details);
	}

}
