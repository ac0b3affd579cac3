package dev.failover.actuate;

import java.time.Duration;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.failover.core.Watcher;
import dev.failover.core.WatcherStatus;
import dev.failover.core.Durations;

/**
 * The {@code failover} health contributor: UP while the group has a primary and this
 * instance can read the heartbeat topic; DOWN when the group has had no primary for longer
 * than the heartbeat timeout; while failover is enabled and the topic is unreachable, the
 * status the operator chose ({@code failover.health.log-unreachable-status}, DOWN by
 * default). Details: role, epoch, primary.
 */
public class FailoverHealthIndicator extends AbstractHealthIndicator {

	private final Watcher watcher;

	private final Status logUnreachable;

	/**
	 * Creates the indicator that reports DOWN while the topic cannot be read.
	 * @param watcher the watcher to report on
	 */
	public FailoverHealthIndicator(Watcher watcher) {
		this(watcher, Status.DOWN);
	}

	/**
	 * Creates the indicator.
	 * @param watcher the watcher to report on
	 * @param logUnreachable the status while the heartbeat topic cannot be read
	 */
	public FailoverHealthIndicator(Watcher watcher, Status logUnreachable) {
		super("Failover health check failed");
		this.watcher = watcher;
		this.logUnreachable = logUnreachable;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		WatcherStatus status = this.watcher.status();
		builder.withDetail("role", status.role().label())
			.withDetail("epoch", status.epoch())
			.withDetail("primary", (status.primaryId() != null) ? status.primaryId() : "none")
			.withDetail("instanceId", status.instanceId())
			.withDetail("group", status.group())
			.withDetail("enabled", status.enabled());
		if (!status.connected()) {
			builder.up().withDetail("mode", "static role (automatic failover never enabled)");
			return;
		}
		builder.withDetail("logReachable", status.logReachable());
		if (!status.logReachable()) {
			builder.status(this.logUnreachable).withDetail("problem", "the heartbeat topic cannot be read");
			return;
		}
		Duration missing = status.primaryMissingFor();
		if (status.enabled() && missing.compareTo(status.heartbeatTimeout()) > 0) {
			builder.down()
				.withDetail("problem", "no primary for " + Durations.format(missing.withNanos(0)) + " (timeout "
						+ Durations.format(status.heartbeatTimeout()) + ")");
			return;
		}
		builder.up();
	}

}
