package dev.failover.core;

import java.time.Instant;

/**
 * An instance of the group, as seen by one watcher.
 *
 * @param instanceId the member's instance id
 * @param role the member's role as seen in the log
 * @param lastSeen when this watcher last read a record from the member (its own clock)
 * @param preferredRole the member's configured preferred role
 * @param priority the member's configured priority (higher claims first)
 * @param enabled whether automatic failover is enabled on the member
 * @param self whether the member is this watcher's own instance
 */
public record Member(String instanceId, Role role, Instant lastSeen, Role preferredRole, int priority,
		boolean enabled, boolean self) {
}
