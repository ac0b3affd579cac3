package dev.failover.core.internal.election;

import java.time.Duration;
import java.time.Instant;
import java.util.NavigableMap;
import java.util.TreeMap;

import dev.failover.core.Durations;
import dev.failover.core.Role;
import dev.failover.core.RoleChange;
import dev.failover.core.RoleChange.Cause;
import dev.failover.core.wire.ProtocolRecord;
import dev.failover.core.wire.RecordType;

/**
 * The epoch this member won and the lease it holds on it: taking an epoch (a claim read
 * back, a grant), the promotion, heartbeats and their read-backs, the lease's renewal and
 * its end (a lapse, a wall-clock jump, a higher epoch).
 */
final class Acting {

	private final Election e;

	/** The claim (or grant) that won the epoch held; kept after acting ends, for the floor. */
	Claiming.Attempt won;

	long leaseExpiry = Long.MIN_VALUE;

	/** Where the lease was last renewed from: the send of the renewing record, on both clocks. */
	Sent leaseAnchor;

	private final NavigableMap<Long, Sent> pendingHeartbeats = new TreeMap<>();

	private long nextSeq;

	long nextHeartbeatAt;

	Acting(Election election) {
		this.e = election;
	}

	/** Starts acting on an epoch this member's claim won: the lease runs from that claim's send. */
	void claimWon(ProtocolRecord claim) {
		// the lease runs from when this very claim was sent: a later attempt for the same
		// epoch number must not lend it its younger send time
		Claiming.Attempt attempt = this.e.claiming.settle(claim.seq());
		long now = this.e.now;
		if (attempt == null || attempt.sentAt() + this.e.timings.lease <= now || this.e.leaving.closing
				|| this.e.phase.isActing()) {
			// a claim we gave up on, or read back too late to use: hand the epoch back
			if (this.e.phase == Phase.CLAIMING) {
				this.e.moveTo(Phase.SECONDARY);
			}
			this.e.out.info("Instance '" + this.e.instanceId + "' won epoch " + claim.epoch() + " of group '"
					+ this.e.group + "' with a claim it no longer holds a lease for; handing the epoch back");
			this.e.out.publishShutdown(0, claim.epoch(), null, "claim no longer wanted", false, null);
			return;
		}
		this.e.claiming.clear();
		this.e.counters.claimWon();
		start(attempt, attempt.sentAt() + this.e.timings.lease, new Sent(attempt.sentAt(), attempt.sentWall()),
				attempt.sentAt() + this.e.timings.interval);
		this.e.view.lastHeartbeat = this.e.wall;
		promote(claim.epoch());
	}

	/**
	 * Takes the epoch that the leaving primary granted to this member. The grant lease runs
	 * from when this member last confirmed its view of the log before the grant, which the
	 * grant was written after; the others wait longer than that before they claim.
	 */
	void grantRead(ProtocolRecord grant) {
		long epoch = this.e.log.epoch();
		long now = this.e.now;
		Sent anchor = this.e.view.lastConfirmedSent;
		long expiry = (anchor == null) ? Long.MIN_VALUE : anchor.mono() + this.e.timings.grantLease;
		boolean usable = (this.e.phase == Phase.SECONDARY || this.e.phase == Phase.CLAIMING)
				&& !this.e.leaving.closing && this.e.enabled && expiry > now;
		if (!usable) {
			this.e.out.info("Instance '" + this.e.instanceId + "' cannot take epoch " + epoch + " of group '"
					+ this.e.group + "' handed over by '" + grant.instanceId() + "' ("
					+ ((expiry <= now) ? "its view of the log is too old to date a lease" : "not a candidate now")
					+ "); handing it back");
			if (this.e.phase == Phase.CLAIMING) {
				this.e.moveTo(Phase.SECONDARY);
			}
			else if (this.e.phase.isActing()) {
				end();
			}
			this.e.out.publishShutdown(0, epoch, null, "handover grant declined", false, null);
			return;
		}
		this.e.claiming.clear();
		// renew the short grant lease with a first heartbeat right away
		start(new Claiming.Attempt(epoch, now, Output.wallNanos(this.e.wall), Cause.PRIMARY_LEFT,
				"primary '" + grant.instanceId() + "' handed over to this instance", now), expiry, anchor, now);
		promote(epoch);
	}

	private void start(Claiming.Attempt attempt, long expiry, Sent anchor, long firstHeartbeatAt) {
		this.e.moveTo(Phase.PROMOTING);
		this.won = attempt;
		this.leaseExpiry = expiry;
		this.leaseAnchor = anchor;
		this.pendingHeartbeats.clear();
		this.nextSeq = 1;
		this.nextHeartbeatAt = firstHeartbeatAt;
	}

	private void promote(long epoch) {
		if (this.e.hasPromoteCallback) {
			this.e.out.add(new Effect.RunPromote(epoch));
		}
		else {
			becomePrimary(epoch);
		}
	}

	/** The promote callback returned: primary if the epoch is still ours and the lease runs. */
	void promoteDone(long epoch, Throwable error) {
		boolean stillOurs = this.e.phase == Phase.PROMOTING && this.e.log.epoch() == epoch;
		if (error == null && stillOurs && this.e.now < this.leaseExpiry) {
			becomePrimary(epoch);
			return;
		}
		if (error == null) {
			// promoted too late: undo whatever the callback started
			this.e.out.warn("Instance '" + this.e.instanceId + "' lost epoch " + epoch + " of group '" + this.e.group
					+ "' while its promote callback ran; undoing it");
			if (this.e.hasDemoteCallback) {
				this.e.out.add(new Effect.RunDemote(epoch, 0));
			}
			if (this.e.phase == Phase.PROMOTING) {
				end();
				this.e.out.publishLapseNotice(epoch, "lease expired during promotion");
			}
			return;
		}
		this.e.out.error("Instance '" + this.e.instanceId + "' refused to become primary of group '" + this.e.group
				+ "' at epoch " + epoch + ": promote callback failed; staying secondary and retrying after back-off",
				error);
		if (stillOurs) {
			end();
			this.e.out.publishShutdown(0, epoch, null, "promotion failed: " + error, false, null);
		}
		this.e.claiming.backOff();
	}

	private void becomePrimary(long epoch) {
		this.e.moveTo(Phase.PRIMARY);
		this.e.claiming.resetFailures();
		this.e.counters.promoted();
		Claiming.Attempt claim = this.won;
		// measured to this instant, from the previous primary's last heartbeat or shutdown notice
		Duration since = (claim.lastSignAt() == Long.MIN_VALUE) ? null
				: Duration.ofNanos(this.e.now - claim.lastSignAt());
		// the listeners first: the line and the first heartbeat would keep the loop from
		// handing the change to the callback thread (a handover's successor is timed to its
		// listeners, see docs/BENCHMARK.md)
		this.e.out.announce(new RoleChange(this.e.instanceId, this.e.group, Role.SECONDARY, Role.PRIMARY, epoch,
				claim.cause(), claim.reason(), this.e.wall, since));
		this.e.out.info("Instance '" + this.e.instanceId + "' is now PRIMARY of group '" + this.e.group + "' at epoch "
				+ epoch + ": " + claim.reason() + ((since != null) ? " (" + Durations.formatNanos(since.toNanos())
						+ " after the previous primary's last sign of life)" : ""));
	}

	/** Sends a heartbeat if one is due, and remembers its send to renew the lease when read back. */
	void heartbeatIfDue() {
		long now = this.e.now;
		if (!this.e.phase.isActing() || now < this.nextHeartbeatAt) {
			return;
		}
		long seq = this.nextSeq++;
		this.pendingHeartbeats.put(seq, new Sent(now, Output.wallNanos(this.e.wall)));
		this.nextHeartbeatAt = now + this.e.timings.interval;
		this.e.counters.heartbeatSent();
		this.e.out.publish(0, this.e.out.record(RecordType.HEARTBEAT, this.e.log.epoch(), seq, -1, null, null, false,
				null, 0));
	}

	/**
	 * Returns when a heartbeat of the epoch held, read back now, was sent (forgetting the
	 * earlier ones: records are read in the order they were sent), or {@code null}.
	 */
	Sent heartbeatRead(ProtocolRecord record) {
		// sequence numbers start again with every epoch
		if (!this.e.phase.isActing() || record.epoch() != this.e.log.epoch()) {
			return null;
		}
		Sent sent = this.pendingHeartbeats.get(record.seq());
		if (sent != null) {
			this.pendingHeartbeats.headMap(record.seq(), true).clear();
		}
		return sent;
	}

	/**
	 * Renews the lease from the send time of this member's heartbeat just read back, if any,
	 * unless the lease has already run out: a lapse is final (see {@link #expireIfLapsed}).
	 */
	void renew(Sent sent) {
		long now = this.e.now;
		if (sent == null || now >= this.leaseExpiry || clockJump() > 0) {
			return;
		}
		if (sent.mono() + this.e.timings.lease > this.leaseExpiry) {
			this.leaseExpiry = sent.mono() + this.e.timings.lease;
			this.leaseAnchor = sent;
		}
		this.e.view.lastHeartbeat = this.e.wall;
		this.e.view.lastSignAt = now;
	}

	/**
	 * Returns by how much the wall clock has run ahead of the monotonic clock since the lease
	 * was last renewed, beyond the lease margin, or 0. The monotonic clock does not count a
	 * system suspend (or a paused virtual machine), so a lease measured on it alone would
	 * outlive its real end; a forward jump of the wall clock ends it (the safe direction: an
	 * operator's or NTP's forward step costs a failover, never two primaries).
	 */
	long clockJump() {
		Sent anchor = this.leaseAnchor;
		return (anchor == null) ? 0
				: anchor.jumpNanos(this.e.now, Output.wallNanos(this.e.wall), this.e.timings.margin);
	}

	/** When this member stopped (or stops now) being primary: its lease may have lapsed earlier. */
	long actedUntil() {
		return Math.min(this.e.now, this.leaseExpiry);
	}

	/**
	 * Steps down if the lease has run out: after every event, and before a step-down (the
	 * loop was late, or the process paused). A lapse is final: {@code isPrimary()} has
	 * answered {@code false} since, so a heartbeat read back after it must not make this
	 * member primary again at the same epoch ({@link #renew} refuses), nor may a step-down
	 * queued before the lapse grant the epoch as if it were still held.
	 */
	void expireIfLapsed() {
		if (this.e.phase.isActing() && (this.e.now >= this.leaseExpiry || clockJump() > 0)) {
			lapsed();
		}
	}

	private void lapsed() {
		long now = this.e.now;
		long epoch = this.e.log.epoch();
		boolean wasPrimary = this.e.phase == Phase.PRIMARY;
		long jump = clockJump();
		String reason = (jump > 0 && now < this.leaseExpiry)
				? "lease ended: the wall clock ran " + Durations.formatNanos(jump + this.e.timings.margin)
						+ " ahead of the monotonic clock (the system was suspended, or its clock was stepped forward)"
				: "lease expired: no heartbeat of this instance was read back within "
						+ Durations.formatNanos(this.e.timings.lease) + " (log unreachable, or the process was paused)";
		long actedUntil = actedUntil();
		end();
		this.e.view.lastSignAt = now;
		this.e.claiming.backOff();
		if (wasPrimary) {
			this.e.demoted(epoch, Cause.LEASE_EXPIRED, reason, false, actedUntil);
		}
		else {
			this.e.out.warn("Instance '" + this.e.instanceId + "' gave up epoch " + epoch + " of group '" + this.e.group
					+ "' before its promotion completed: " + reason);
		}
		// if the log comes back before anybody claims, let the group re-elect at once
		this.e.out.publishLapseNotice(epoch, "lease expired");
	}

	/** A higher epoch holds the group: stop acting at once. */
	void superseded(ProtocolRecord record) {
		String reason = "superseded: '" + record.instanceId() + "' holds epoch " + this.e.log.epoch();
		boolean wasPrimary = this.e.phase == Phase.PRIMARY;
		long epoch = this.won.epoch();
		long actedUntil = actedUntil();
		end();
		if (wasPrimary) {
			this.e.demoted(epoch, Cause.SUPERSEDED, reason, true, actedUntil);
		}
	}

	/** Stops acting: the member is secondary from now on. */
	void end() {
		if (this.won != null) {
			// an epoch this member acted at stays taken for it, even if the fold then follows
			// an older holder (a claim a compacted view judged won, rule 5): what it reports
			// and what it claims next stay above it
			this.e.view.epochFloor = Math.max(this.e.view.epochFloor, this.won.epoch());
		}
		this.e.moveTo(Phase.SECONDARY);
		this.leaseExpiry = Long.MIN_VALUE;
		this.leaseAnchor = null;
		this.pendingHeartbeats.clear();
	}

	/** Returns the wall-clock instant at which this member stopped acting, given when on the monotonic clock. */
	Instant wallAt(long actedUntil) {
		return this.e.wall.minusNanos(Math.max(0, this.e.now - actedUntil));
	}

}
