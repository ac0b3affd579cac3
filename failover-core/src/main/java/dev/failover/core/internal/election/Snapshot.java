package dev.failover.core.internal.election;

import java.time.Instant;
import java.util.List;

import dev.failover.core.Member;
import dev.failover.core.Role;

/**
 * A member's state as other threads see it: immutable, replaced after every event that
 * changes it.
 *
 * @param phase where the member is in the election
 * @param leaseExpiry when its lease ends, on the monotonic clock
 * @param leaseAnchor the send its lease was last renewed from, or {@code null}
 * @param marginNanos the lease margin
 * @param epoch the epoch it reports
 * @param primaryId the group's primary, or {@code null}
 * @param lastHeartbeat when the primary's last heartbeat was read, or {@code null}
 * @param lastProgressAt when the transport last confirmed the end of the log
 * @param primaryMissingSince since when the group has had no primary it knows of, or
 * {@code Long.MAX_VALUE}
 * @param members the members view
 * @param freshnessNanos how recent a confirmation of the log must be to claim
 */
public record Snapshot(Phase phase, long leaseExpiry, Sent leaseAnchor, long marginNanos, long epoch, String primaryId,
		Instant lastHeartbeat, long lastProgressAt, long primaryMissingSince, List<Member> members,
		long freshnessNanos) {

	/**
	 * Returns the state of a member that does not take part.
	 * @return the state
	 */
	public static Snapshot offline() {
		return new Snapshot(Phase.OFFLINE, Long.MIN_VALUE, null, 0, 0, null, null, Long.MIN_VALUE, Long.MAX_VALUE,
				List.of(), 0);
	}

	/**
	 * Returns the state of a member closed after this one.
	 * @return the state
	 */
	public Snapshot closed() {
		return new Snapshot(Phase.CLOSED, Long.MIN_VALUE, null, 0, this.epoch, this.primaryId, this.lastHeartbeat,
				Long.MIN_VALUE, Long.MAX_VALUE, List.of(), this.freshnessNanos);
	}

	/**
	 * Returns whether the member is primary at a moment: in the primary phase, before the
	 * lease's end on the monotonic clock, and with the wall clock not run ahead of it by more
	 * than the margin since the lease was renewed (a suspend ends the lease).
	 * @param nanoTime the moment, on the monotonic clock
	 * @param wallNanos the moment, on the wall clock in nanoseconds since the epoch
	 * @return {@code true} if primary then
	 */
	public boolean isPrimaryAt(long nanoTime, long wallNanos) {
		return this.phase == Phase.PRIMARY && nanoTime < this.leaseExpiry
				&& (this.leaseAnchor == null || this.leaseAnchor.jumpNanos(nanoTime, wallNanos, this.marginNanos) == 0);
	}

	/**
	 * Takes the state of an election as other threads see it.
	 * @param e the election
	 * @return an immutable snapshot
	 */
	static Snapshot of(Election e) {
		boolean primaryKnown = e.log.hasPrimary();
		Member self = new Member(e.instanceId, (e.phase == Phase.PRIMARY) ? Role.PRIMARY : Role.SECONDARY,
				e.wall, e.preferredRole, e.priority, e.enabled, true);
		List<Member> view = e.members.view(self, primaryKnown ? e.log.primaryId() : null);
		long missingSince;
		if (e.phase == Phase.PRIMARY || !e.phase.isCaughtUp()) {
			missingSince = Long.MAX_VALUE;
		}
		else if (e.log.isEmpty() || e.log.isVacant()) {
			missingSince = e.log.isEmpty() ? e.view.joinedAt : e.view.vacantSince;
		}
		else {
			missingSince = e.view.lastSignAt + e.timings.timeout;
		}
		// a secondary's epoch never goes down, also across a replaced log
		long epoch = e.phase.isActing() ? e.log.epoch() : Math.max(e.log.epoch(), e.view.epochFloor);
		return new Snapshot(e.phase, e.acting.leaseExpiry, e.acting.leaseAnchor, e.timings.margin, epoch,
				primaryKnown ? e.log.primaryId() : null, e.view.lastHeartbeat, e.view.lastProgressAt,
				missingSince, view, e.timings.freshness);
	}

}
