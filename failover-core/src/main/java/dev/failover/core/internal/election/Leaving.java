package dev.failover.core.internal.election;

import dev.failover.core.Durations;
import dev.failover.core.RoleChange;
import dev.failover.core.RoleChange.Cause;
import dev.failover.core.wire.ProtocolRecord;

/**
 * Giving the role up on purpose: a step-down or switchover, and a graceful close. A primary
 * stops acting first, runs its demote callback (bounded by one interval), and only then
 * writes its shutdown notice, granting the role to a live successor if there is one; a
 * closing member then waits (briefly) to see its successor take over, deletes its presence
 * and terminates.
 */
final class Leaving {

	/**
	 * A step-down in progress.
	 *
	 * @param request the request to complete, or 0 for one the election made itself
	 * @param close whether the member leaves the group once it is done
	 */
	private record StepDown(long request, boolean close) {
	}

	/** A notice waiting for the demote callback (or its bound) before it is written. */
	private record Notice(long token, long epoch, String successor, String reason, boolean leaving, StepDown stepDown,
			long deadline) {
	}

	/** A handover on close whose successor has not been seen taking over yet. */
	private static final class Takeover {

		final String successor;

		final long epoch;

		final long announcedAt;

		/** Whether the member waits for it (its notice has been written). */
		boolean waiting;

		long deadline = Long.MAX_VALUE;

		/** The epoch of the successor's first record read, once read. */
		long seenEpoch = Long.MIN_VALUE;

		long seenAt;

		Takeover(String successor, long epoch, long announcedAt) {
			this.successor = successor;
			this.epoch = epoch;
			this.announcedAt = announcedAt;
		}

	}

	private final Election e;

	/** Whether the member is closing: it claims nothing and takes no grant any more. */
	boolean closing;

	private long closeRequest;

	private Notice notice;

	private Takeover takeover;

	Leaving(Election election) {
		this.e = election;
	}

	/** Steps down on request, or on the election's own decision ({@code request} 0). */
	void stepDown(long request, String successor, Cause cause, String reason) {
		stepDown(new StepDown(request, false), successor, cause, reason);
	}

	/** Starts leaving the group gracefully. */
	void close(long request) {
		this.closing = true;
		this.closeRequest = request;
		stepDown(new StepDown(request, true), null, Cause.SHUTDOWN, "shutting down");
	}

	private void stepDown(StepDown stepDown, String successor, Cause cause, String reason) {
		this.e.acting.expireIfLapsed();
		long epoch = this.e.log.epoch();
		Phase phase = this.e.phase;
		if (phase == Phase.PRIMARY) {
			stepDownAsPrimary(stepDown, epoch, successor, cause, reason);
		}
		else if (phase == Phase.PROMOTING) {
			this.e.acting.end();
			long ref = this.e.out.follow(Output.FollowUp.always((error) -> done(stepDown, error == null, null)));
			this.e.out.publishShutdown(ref, epoch, successor, reason, stepDown.close(), null);
		}
		else {
			if (phase == Phase.CLAIMING) {
				this.e.moveTo(Phase.SECONDARY);
			}
			if (stepDown.close() && phase.isCaughtUp() && logReachable()) {
				long ref = this.e.out.follow(Output.FollowUp.always((error) -> done(stepDown, false, null)));
				this.e.publishStandby(ref, true);
			}
			else {
				done(stepDown, false, null);
			}
		}
	}

	/**
	 * Stops acting at once, then announces: only once the demote callback has run (or after
	 * a bound), so that the old primary has stopped acting before anybody can take over;
	 * listeners, which only hear of the change, are told after the notice is on its way.
	 */
	private void stepDownAsPrimary(StepDown stepDown, long epoch, String successor, Cause cause, String reason) {
		long now = this.e.now;
		long actedUntil = this.e.acting.actedUntil();
		this.e.acting.end();
		this.e.view.lastSignAt = now;
		if (!stepDown.close()) {
			this.e.claiming.holdOff(now + this.e.timings.interval);
		}
		long token = this.e.hasDemoteCallback ? this.e.out.nextRef() : 0;
		Notice pending = new Notice(token, epoch, successor, reason, stepDown.close(), stepDown,
				now + this.e.timings.interval);
		RoleChange change = this.e.demotion(epoch, cause, reason, true, actedUntil);
		if (token != 0) {
			this.notice = pending;
			this.e.out.add(new Effect.RunDemote(epoch, token));
		}
		else {
			// without a demote callback the notice is written within this event, before the
			// listeners are told and before the rest of a shutdown is even under way
			writeNotice(pending);
		}
		this.e.out.announce(change);
	}

	/** The demote callback a notice waits for returned. */
	void demoteDone(long token) {
		Notice pending = this.notice;
		if (pending != null && pending.token() == token) {
			this.notice = null;
			writeNotice(pending);
		}
	}

	private void writeNotice(Notice pending) {
		MemberTable.Successor grantee = this.e.members.chooseSuccessor(pending.successor(), this.e.now);
		if (pending.leaving() && grantee != null) {
			this.takeover = new Takeover(grantee.instanceId(), pending.epoch(), this.e.now);
		}
		long ref = this.e.out.follow(Output.FollowUp.always((error) -> done(pending.stepDown(), true, error)));
		this.e.out.publishShutdown(ref, pending.epoch(), (grantee != null) ? grantee.instanceId() : pending.successor(),
				pending.reason(), pending.leaving(), (grantee != null) ? grantee.session() : null);
	}

	/** A step-down is over: complete its request, or go on closing. */
	private void done(StepDown stepDown, boolean wasPrimary, Throwable error) {
		if (!stepDown.close()) {
			if (stepDown.request() != 0) {
				this.e.out.add(new Effect.Complete(stepDown.request(), wasPrimary, error));
			}
			return;
		}
		if (error != null) {
			closeFailed(error);
			return;
		}
		awaitTakeover();
	}

	/**
	 * After a handover on close, waits until the successor's first record of the new epoch is
	 * read, for at most {@link Timings#takeoverWait}: the leaving process then shuts the rest
	 * of itself down (web server, clients, thread pools) only once the successor is primary,
	 * instead of competing with it for the CPU while it takes over, and it can log how long
	 * the takeover took.
	 */
	private void awaitTakeover() {
		Takeover pending = this.takeover;
		if (pending == null) {
			deleteMemberRecord();
			return;
		}
		pending.waiting = true;
		if (pending.seenEpoch > pending.epoch) {
			tookOver(pending);
			return;
		}
		pending.deadline = Math.max(this.e.now, pending.announcedAt + this.e.timings.takeoverWait);
	}

	/** Notes a record of another member, which may be the successor's first of the new epoch. */
	void recordOfOther(ProtocolRecord record) {
		Takeover pending = this.takeover;
		if (pending == null || pending.seenEpoch > pending.epoch || record.epoch() <= pending.epoch
				|| !record.instanceId().equals(pending.successor)) {
			return;
		}
		pending.seenEpoch = record.epoch();
		pending.seenAt = this.e.now;
		if (pending.waiting) {
			tookOver(pending);
		}
	}

	private void tookOver(Takeover pending) {
		this.takeover = null;
		this.e.out.info("Instance '" + this.e.instanceId + "' handed group '" + this.e.group + "' over to '"
				+ pending.successor + "', which took over at epoch " + pending.seenEpoch + " ("
				+ Durations.formatNanos(pending.seenAt - pending.announcedAt) + " after the handover was announced)");
		deleteMemberRecord();
	}

	/**
	 * Deletes this member's presence from a compacted topic (a tombstone on its member key),
	 * so that instance ids used once (such as host and pid) do not pile up forever.
	 */
	private void deleteMemberRecord() {
		if (!logReachable()) {
			// nothing written now would be acknowledged: leave at once instead of waiting the
			// shutdown timeout out (the record ages out of the members view of the others)
			this.e.out.info("Instance '" + this.e.instanceId + "' leaves group '" + this.e.group
					+ "' without deleting its presence record: the log is unreachable");
			this.e.terminate(this.closeRequest);
			return;
		}
		long ref = this.e.out.follow(Output.FollowUp.always((error) -> {
			if (error != null) {
				closeFailed(error);
			}
			else {
				this.e.terminate(this.closeRequest);
			}
		}));
		this.e.out.publishTombstone(ref);
	}

	private void closeFailed(Throwable error) {
		// the notice, or the tombstone of the member record after it
		this.e.out.warn("Instance '" + this.e.instanceId
				+ "' could not announce its shutdown or delete its member record: " + error);
		this.e.terminate(this.closeRequest);
	}

	/**
	 * Writes a notice whose demote callback outlived its bound, and gives up waiting for a
	 * successor that does not take over.
	 * @return when to look again, or {@code Long.MAX_VALUE}
	 */
	long checkDeadlines() {
		long now = this.e.now;
		Notice pending = this.notice;
		if (pending != null && now >= pending.deadline()) {
			this.notice = null;
			this.e.out.warn("Instance '" + this.e.instanceId + "': the demote callback is still running after "
					+ Durations.formatNanos(this.e.timings.interval) + "; announcing the handover anyway");
			writeNotice(pending);
		}
		Takeover waiting = this.takeover;
		if (waiting != null && waiting.waiting && now >= waiting.deadline) {
			this.takeover = null;
			this.e.out.info("Instance '" + this.e.instanceId + "' handed group '" + this.e.group + "' over to '"
					+ waiting.successor + "' but did not see it take over within "
					+ Durations.formatNanos(this.e.timings.takeoverWait)
					+ "; leaving anyway (the others claim the role if it does not)");
			deleteMemberRecord();
		}
		long next = (this.notice != null) ? this.notice.deadline() : Long.MAX_VALUE;
		if (this.takeover != null && this.takeover.waiting) {
			next = Math.min(next, this.takeover.deadline);
		}
		return next;
	}

	/** Returns whether this member read one of its own records back recently: the log takes writes. */
	private boolean logReachable() {
		return this.e.view.isFresh(this.e.now, this.e.timings.freshness);
	}

	/** Returns whether a handover is under way whose successor's records matter. */
	boolean awaitsTakeover() {
		return this.takeover != null;
	}

}
