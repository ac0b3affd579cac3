package dev.failover.core.internal.election;

import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

import dev.failover.core.Durations;
import dev.failover.core.Role;
import dev.failover.core.RoleChange.Cause;
import dev.failover.core.wire.RecordType;

/**
 * When a secondary claims, and its claims in flight: the timing rules of docs/PROTOCOL.md
 * ("Claims"), the back-off after failures, and the claims written but not yet settled.
 */
final class Claiming {

	/**
	 * A claim written by this member (or a grant taken): its epoch, when it was sent on both
	 * clocks, and why, for the promotion event.
	 *
	 * @param epoch the epoch claimed
	 * @param sentAt when it was sent, on the monotonic clock
	 * @param sentWall when it was sent, on the wall clock in nanoseconds since the epoch
	 * @param cause why
	 * @param reason why, in words
	 * @param lastSignAt the previous primary's last sign of life, or {@code Long.MIN_VALUE}
	 */
	record Attempt(long epoch, long sentAt, long sentWall, Cause cause, String reason, long lastSignAt) {
	}

	/** When a claim is due and why, or not due before an event ({@code at == Long.MIN_VALUE}). */
	private record Due(long at, Cause cause, String reason) {
	}

	private final Election e;

	private final RandomGenerator random;

	/** Claims written and not yet settled, by their sequence number within this session. */
	private final NavigableMap<Long, Attempt> pending = new TreeMap<>();

	private long seq;

	private long backoffUntil = Long.MIN_VALUE;

	private int failures;

	private boolean warnedDisabled;

	Claiming(Election election, RandomGenerator random) {
		this.e = election;
		this.random = random;
	}

	/**
	 * Claims if it is time to.
	 * @return when it will be time to claim (for the timer), or {@code Long.MIN_VALUE} if
	 * nothing is to be claimed or only an event can unblock it
	 */
	long claimIfDue() {
		if (this.e.phase != Phase.SECONDARY || this.e.leaving.closing) {
			return Long.MIN_VALUE;
		}
		long now = this.e.now;
		Due due = due(now);
		long at = Math.max(due.at(), this.backoffUntil);
		View view = this.e.view;
		if (view.replacedAt != Long.MIN_VALUE) {
			at = Math.max(at, view.replacedAt + this.e.timings.replacedWait(this.e.log.primaryLeaseMillis(),
					view.unverifiedLease));
		}
		if (view.unverifiedAt != Long.MIN_VALUE) {
			at = Math.max(at, view.unverifiedAt + Math.max(this.e.timings.timeout, view.unverifiedLease));
		}
		if (now < at) {
			return at;
		}
		if (!view.isFresh(now, this.e.timings.freshness)) {
			// cannot confirm that we see the whole log: our isolation is not the primary's death
			return Long.MIN_VALUE;
		}
		if (!this.e.enabled) {
			if (!this.warnedDisabled) {
				this.warnedDisabled = true;
				this.e.out.warn("Instance '" + this.e.instanceId + "' would claim the primary role of group '"
						+ this.e.group + "' (" + due.reason() + "), but automatic failover is disabled on it");
			}
			return Long.MIN_VALUE;
		}
		claim(due.cause(), due.reason());
		return Long.MIN_VALUE;
	}

	private Due due(long now) {
		GroupLog log = this.e.log;
		View view = this.e.view;
		Timings timings = this.e.timings;
		if (log.isEmpty()) {
			// an empty log is a new group, or a topic replaced (or emptied by retention) a
			// moment ago under a primary that has not noticed yet: the first claim waits a
			// silence of a full timeout, once in a group's life (its log is never empty again)
			return new Due(view.joinedAt + timings.timeout + rankDelay(now, null) + deferAfter(null), Cause.NO_PRIMARY,
					"the group had no primary");
		}
		String primary = log.primaryId();
		if (log.isVacant()) {
			String successor = log.successor();
			boolean toMe = this.e.instanceId.equals(successor);
			long delay = toMe ? 0 : (successor != null) ? timings.interval + rankDelay(now, primary)
					: rankDelay(now, primary) + deferAfter(primary);
			return new Due(view.vacantSince + delay, Cause.PRIMARY_LEFT, "primary '" + primary + "' left epoch "
					+ log.epoch() + (toMe ? " and handed over to this instance" : ""));
		}
		if (log.isGranted()) {
			// the successor named in a handover has not heartbeated yet: wait less than a timeout
			// (but as long as its own settings let it act on the grant)
			long wait = Math.max(timings.handover,
					this.e.members.grantLeaseOf(primary, timings.grantLease) + timings.margin);
			return new Due(view.lastSignAt + wait + rankDelay(now, primary), Cause.PRIMARY_SILENT,
					"'" + primary + "' was handed epoch " + log.epoch() + " but did not take it within "
							+ Durations.formatNanos(timings.handover));
		}
		if (log.primarySession() != null && log.primarySession().equals(view.goneSession)) {
			// its process is gone: it acts no more, whatever lease it announced
			return new Due(view.goneAt + rankDelay(now, primary), Cause.PRIMARY_GONE, "primary '" + primary
					+ "' (epoch " + log.epoch() + ") is gone: its process closed its probe endpoint");
		}
		// a primary with a longer lease than ours (a rolling change of settings) is waited out
		return new Due(view.lastSignAt + timings.silence(log.primaryLeaseMillis()) + rankDelay(now, primary),
				Cause.PRIMARY_SILENT, "primary '" + primary + "' (epoch " + log.epoch() + ") silent for "
						+ Durations.formatNanos(now - view.lastSignAt));
	}

	/**
	 * How much longer a preferred secondary waits before it claims an empty or vacant group:
	 * one heartbeat interval, so that a preferred primary that started up to an interval
	 * later than it (or that it has not seen yet) claims first, as the configured primary of
	 * the original package always did. Bounded, nothing for a preferred primary, and nothing
	 * when the group was left by a preferred primary (it is the one that cannot take the
	 * role: waiting for it again would starve the group).
	 * @param leftBy the member that left the vacant epoch, or {@code null} for an empty log
	 */
	private long deferAfter(String leftBy) {
		if (this.e.preferredRole != Role.SECONDARY
				|| (leftBy != null && this.e.members.preferredRoleOf(leftBy) == Role.PRIMARY)) {
			return 0;
		}
		return this.e.timings.interval;
	}

	private long rankDelay(long now, String primaryId) {
		long stagger = this.e.timings.stagger;
		if (stagger == 0) {
			return 0;
		}
		// a preferred secondary always lets preferred primaries go first, even unseen ones
		int rank = this.e.members.rankOfSelf(now, primaryId) + ((this.e.preferredRole == Role.SECONDARY) ? 1 : 0);
		return rank * stagger;
	}

	private void claim(Cause cause, String reason) {
		long now = this.e.now;
		long epoch = this.e.knownMaxEpoch() + 1;
		long claimSeq = ++this.seq;
		this.e.moveTo(Phase.CLAIMING);
		this.pending.put(claimSeq, new Attempt(epoch, now, Output.wallNanos(this.e.wall), cause, reason,
				this.e.log.isEmpty() ? Long.MIN_VALUE : this.e.view.lastSignAt));
		this.e.counters.claimSent();
		this.e.out.info("Instance '" + this.e.instanceId + "' claims epoch " + epoch + " of group '" + this.e.group
				+ "': " + reason);
		long ref = this.e.out.follow(Output.FollowUp.onFailure((error) -> claimNotWritten(claimSeq, epoch, error)));
		this.e.out.publish(ref, this.e.out.record(RecordType.CLAIM, epoch, claimSeq, this.e.view.basedOn(), reason,
				null, false, null, 0));
	}

	/**
	 * Takes evidence that a member's process is gone: if it is the primary's (the session
	 * the log names), this member claims without waiting out its silence. Other waits stay:
	 * a replaced log, records that could not be verified, a back-off, a confirmed view.
	 * @return whether the timers must be looked at again
	 */
	boolean processGone(String instanceId, String session) {
		GroupLog log = this.e.log;
		if (!log.hasPrimary() || log.isGranted() || !session.equals(log.primarySession()) || this.e.phase.isActing()) {
			return false;
		}
		this.e.view.goneSession = session;
		this.e.view.goneAt = this.e.now;
		this.e.out.info("Group '" + this.e.group + "': the process of primary '" + instanceId + "' (epoch "
				+ log.epoch() + ") is gone: its probe connection ended and a new connection was refused");
		return true;
	}

	/** A claim could not be written: give it up and back off, if it is the current one. */
	private void claimNotWritten(long claimSeq, long epoch, Throwable error) {
		if (this.e.phase == Phase.CLAIMING && this.seq == claimSeq) {
			this.e.out.warn("Instance '" + this.e.instanceId + "' could not write its claim for epoch " + epoch + ": "
					+ error + "; retrying after back-off");
			this.e.moveTo(Phase.SECONDARY);
			backOff();
		}
	}

	/**
	 * Gives up the current claim if it was not read back within a timeout, and forgets
	 * claims older than a lease (they can never be used, even if read back later).
	 * @return when to look again, or {@code Long.MAX_VALUE}
	 */
	long expireClaims() {
		long now = this.e.now;
		Attempt current = this.pending.get(this.seq);
		if (this.e.phase == Phase.CLAIMING && (current == null || now - current.sentAt() > this.e.timings.timeout)) {
			this.e.out.warn("Instance '" + this.e.instanceId + "': claim for epoch "
					+ ((current != null) ? current.epoch() : -1) + " not read back within "
					+ Durations.formatNanos(this.e.timings.timeout) + "; giving up on it");
			this.e.moveTo(Phase.SECONDARY);
			backOff();
		}
		this.pending.values().removeIf((attempt) -> now - attempt.sentAt() >= this.e.timings.lease);
		return (this.e.phase == Phase.CLAIMING && current != null) ? current.sentAt() + this.e.timings.timeout + 1
				: Long.MAX_VALUE;
	}

	/** Removes and returns a claim of this session read back, if still pending. */
	Attempt settle(long claimSeq) {
		return this.pending.remove(claimSeq);
	}

	/** Returns whether a claim read back as lost was the one this member waits for. */
	boolean isCurrent(long claimSeq) {
		return claimSeq == this.seq;
	}

	void clear() {
		this.pending.clear();
	}

	void backOff() {
		this.failures = Math.min(this.failures + 1, 30);
		this.backoffUntil = this.e.now + this.e.timings.backoff(this.failures, this.random);
	}

	/** Lets this member claim again no earlier than {@code until}. */
	void holdOff(long until) {
		this.backoffUntil = until;
	}

	void resetFailures() {
		this.failures = 0;
	}

	/** Warns again next time a claim is refused because failover is disabled. */
	void rearmDisabledWarning() {
		this.warnedDisabled = false;
	}

}
