package dev.failover.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A consistent snapshot of what one watcher knows, taken at one instant: for endpoints,
 * health checks and status lines.
 *
 * @param instanceId this instance
 * @param group the failover group
 * @param enabled whether automatic failover is enabled
 * @param connected whether the watcher is reading the group's log (false while failover has
 * never been enabled, or after close)
 * @param role this instance's role right now (lease checked)
 * @param epoch the group's current epoch as known here
 * @param primaryId the group's primary as known here, or {@code null}
 * @param lastHeartbeat on the primary, when it last renewed its lease; on a secondary, when
 * it last received a heartbeat from the primary; {@code null} if never
 * @param logReachable whether the log was confirmed readable recently
 * @param primaryMissingFor how long the group has been without a live primary as seen
 * here, zero if it has one
 * @param members the members of the group seen recently, this instance included
 * @param heartbeatInterval the configured heartbeat interval
 * @param heartbeatTimeout the configured heartbeat timeout
 */
public record WatcherStatus(String instanceId, String group, boolean enabled, boolean connected, Role role, long epoch,
		String primaryId, Instant lastHeartbeat, boolean logReachable, Duration primaryMissingFor, List<Member> members,
		Duration heartbeatInterval, Duration heartbeatTimeout) {

	/**
	 * Returns whether this instance is primary right now.
	 * @return {@code true} if primary
	 */
	public boolean isPrimary() {
		return this.role == Role.PRIMARY;
	}

}
