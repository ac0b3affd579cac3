package dev.failover.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A change of an instance's role, as delivered to {@link RoleChangeListener}s.
 *
 * @param instanceId the instance whose role changed
 * @param group the failover group
 * @param oldRole the role before the change
 * @param newRole the role after the change
 * @param epoch for a promotion, the epoch this instance now holds (usable as a fencing
 * token); for a demotion, the epoch it held
 * @param cause why the role changed, for programs
 * @param reason why the role changed, for humans
 * @param at when the change happened (wall clock of this instance); for a demotion, when
 * the instance stopped being primary, which for a lapsed lease is the lease's end, possibly
 * before the watcher noticed (after a long pause, say)
 * @param sinceLastHeartbeat for a promotion, the time from the last sign of life of the
 * previous primary seen by this instance (its last heartbeat, or its shutdown notice) to
 * the promotion; {@code null} for a demotion or when there was no previous primary
 */
public record RoleChange(String instanceId, String group, Role oldRole, Role newRole, long epoch, Cause cause,
		String reason, Instant at, Duration sinceLastHeartbeat) {

	/**
	 * Creates a role change, checking that it is a real edge.
	 */
	public RoleChange {
		Objects.requireNonNull(instanceId, "instanceId");
		Objects.requireNonNull(group, "group");
		Objects.requireNonNull(oldRole, "oldRole");
		Objects.requireNonNull(newRole, "newRole");
		Objects.requireNonNull(cause, "cause");
		Objects.requireNonNull(reason, "reason");
		Objects.requireNonNull(at, "at");
		if (oldRole == newRole) {
			throw new IllegalArgumentException("A role change needs two different roles, got " + oldRole + " twice");
		}
	}

	/**
	 * Returns whether this instance became primary.
	 * @return {@code true} for a promotion
	 */
	public boolean isPromotion() {
		return this.newRole == Role.PRIMARY;
	}

	/**
	 * Returns whether this instance stopped being primary.
	 * @return {@code true} for a demotion
	 */
	public boolean isDemotion() {
		return this.oldRole == Role.PRIMARY;
	}

	@Override
	public String toString() {
		return this.instanceId + " " + this.oldRole + " -> " + this.newRole + " (group " + this.group + ", epoch "
				+ this.epoch + "): " + this.reason;
	}

	/**
	 * Why a role changed.
	 */
	public enum Cause {

		/** Promoted because the previous primary was silent for the heartbeat timeout. */
		PRIMARY_SILENT,

		/** Promoted because the previous primary announced that it was leaving. */
		PRIMARY_LEFT,

		/**
		 * Promoted at once because the previous primary's process was gone: its probe
		 * connection ended and a new one was refused (fast crash detection).
		 */
		PRIMARY_GONE,

		/** Promoted because the group had no primary (empty log, or nobody claimed). */
		NO_PRIMARY,

		/** Demoted because the lease could not be renewed in time (broker unreachable, pause). */
		LEASE_EXPIRED,

		/** Demoted because another instance holds a higher epoch. */
		SUPERSEDED,

		/** Demoted because the log was replaced or truncated under it (failing closed). */
		LOG_REPLACED,

		/** Demoted on request ({@code stepDown()} or a switchover). */
		STEPPED_DOWN,

		/** Demoted because the watcher is shutting down. */
		SHUTDOWN,

		/** Left the static role because failover was enabled at runtime. */
		FAILOVER_ENABLED

	}

}
