package dev.failover.core.internal.election;

import java.util.Objects;

import dev.failover.core.Durations;
import dev.failover.core.RejectReason;
import dev.failover.core.RoleChange.Cause;
import dev.failover.core.internal.election.GroupLog.Outcome;
import dev.failover.core.wire.DecodeResult;
import dev.failover.core.wire.ProtocolRecord;
import dev.failover.core.wire.RecordType;

/**
 * What reading the log does: each record is folded ({@link GroupLog}) and, once the member
 * has caught up, acted on; progress confirms the view; a log that is not the one read so far
 * fails closed. Every method returns whether the member's timers must be looked at again.
 */
final class Reading {

	private final Election e;

	Reading(Election election) {
		this.e = election;
	}

	boolean recordRead(long offset, DecodeResult decoded) {
		checkOffset(offset);
		if (!decoded.isAccepted()) {
			reject(decoded.rejectReason(), "record at offset " + offset + ": " + decoded.detail());
			if (decoded.unverified() != null && decoded.unverified().group().equals(this.e.group)) {
				unverified(decoded.unverified());
			}
			return true;
		}
		ProtocolRecord record = decoded.record();
		if (!record.group().equals(this.e.group)) {
			return false;
		}
		if (!this.e.phase.isCaughtUp()) {
			// history: fold it to learn the state, act on nothing
			if (this.e.log.apply(offset, record) == Outcome.STALE) {
				this.e.counters.rejected(RejectReason.STALE_EPOCH);
			}
			return false;
		}
		long knownBefore = this.e.knownMaxEpoch();
		String previousPrimary = this.e.log.primaryId();
		long previousEpoch = this.e.log.epoch();
		Outcome outcome = this.e.log.apply(offset, record);
		boolean mine = this.e.session.equals(record.session());
		Sent sent = mine ? ownRecordRead(record, offset) : null;
		if (!mine) {
			recordOfOther(record, outcome);
		}
		switch (outcome) {
			case CLAIM_WON -> claimWon(record, mine, previousPrimary, previousEpoch);
			case CLAIM_LOST -> claimLost(record, mine);
			case RENEWED -> renewed(mine, sent);
			case ADOPTED -> adopted(record, mine, previousPrimary, previousEpoch);
			case VACATED -> vacated(record, mine);
			case GRANTED -> granted(record, mine);
			case STALE -> stale(record, mine, offset);
			case REPLAYED -> reject(RejectReason.REPLAYED, record + " at offset " + offset + " was already seen");
			case NO_EFFECT -> {
			}
		}
		if (!mine && this.e.phase == Phase.PRIMARY && record.type() != RecordType.CLAIM
				&& record.maxEpoch() > knownBefore && record.maxEpoch() >= this.e.log.epoch()) {
			renumber(record);
		}
		return true;
	}

	boolean memberDeleted(long offset, String instanceId) {
		checkOffset(offset);
		if (!this.e.phase.isCaughtUp()) {
			return false;
		}
		this.e.members.remove(instanceId);
		return true;
	}

	private void checkOffset(long offset) {
		View view = this.e.view;
		if (offset <= view.lastOffsetRead) {
			// offsets only grow within one log: this is another one (replaced, or truncated)
			logReplaced("read offset " + offset + " after offset " + view.lastOffsetRead);
		}
		view.lastOffsetRead = Math.max(view.lastOffsetRead, offset);
	}

	private void recordOfOther(ProtocolRecord record, Outcome outcome) {
		if (this.e.leaving.awaitsTakeover() && outcome != Outcome.STALE && outcome != Outcome.REPLAYED) {
			this.e.leaving.recordOfOther(record);
		}
		if (record.instanceId().equals(this.e.instanceId) && this.e.out.tryWarn("duplicate-id") >= 0) {
			this.e.out.warn("Group '" + this.e.group + "': read a live " + record.type() + " of instance id '"
					+ this.e.instanceId + "' written by another session: another process uses this instance's id, "
					+ "or this is a late record of its previous run");
		}
		this.e.members.seen(record, this.e.now, this.e.wall);
	}

	/**
	 * Reading back a record this member wrote confirms the view of the log without asking
	 * the broker: the record was appended after it was sent, and everything acknowledged
	 * before it lies before it in the log and has been read.
	 * @return when the record was sent, if it is a heartbeat of the epoch held or a presence
	 * record still awaited, else {@code null}
	 */
	private Sent ownRecordRead(ProtocolRecord record, long offset) {
		Sent sent = switch (record.type()) {
			case HEARTBEAT -> this.e.acting.heartbeatRead(record);
			case STANDBY -> {
				Sent standby = this.e.view.pendingStandbys.get(record.seq());
				if (standby != null) {
					this.e.view.pendingStandbys.headMap(record.seq(), true).clear();
				}
				yield standby;
			}
			default -> null;
		};
		if (sent != null) {
			this.e.view.confirmed(offset, sent, this.e.now);
		}
		return sent;
	}

	private void claimWon(ProtocolRecord record, boolean mine, String previousPrimary, long previousEpoch) {
		if (mine) {
			this.e.acting.claimWon(record);
		}
		else {
			otherPrimary(record, previousPrimary, previousEpoch);
		}
	}

	private void claimLost(ProtocolRecord record, boolean mine) {
		if (mine && this.e.claiming.settle(record.seq()) != null && this.e.phase == Phase.CLAIMING
				&& this.e.claiming.isCurrent(record.seq())) {
			this.e.out.info("Instance '" + this.e.instanceId + "' lost its claim for epoch " + record.epoch()
					+ " of group '" + this.e.group + "'; primary is '" + this.e.log.primaryId() + "' at epoch "
					+ this.e.log.epoch());
			this.e.moveTo(Phase.SECONDARY);
		}
	}

	private void renewed(boolean mine, Sent sent) {
		if (mine) {
			this.e.acting.renew(sent);
			return;
		}
		this.e.counters.heartbeatReceived();
		this.e.view.lastSignAt = this.e.now;
		this.e.view.lastHeartbeat = this.e.wall;
	}

	private void adopted(ProtocolRecord record, boolean mine, String previousPrimary, long previousEpoch) {
		if (mine) {
			return;
		}
		this.e.out.warn("Group '" + this.e.group + "': adopted epoch " + record.epoch() + " with primary '"
				+ record.instanceId() + "' from a heartbeat (was epoch " + previousEpoch + ", primary '" + previousPrimary
				+ "')");
		this.e.counters.heartbeatReceived();
		otherPrimary(record, previousPrimary, previousEpoch);
	}

	private void otherPrimary(ProtocolRecord record, String previousPrimary, long previousEpoch) {
		this.e.view.lastSignAt = this.e.now;
		this.e.view.lastHeartbeat = this.e.wall;
		this.e.claiming.rearmDisabledWarning();
		this.e.claiming.resetFailures();
		if (this.e.phase.isActing()) {
			this.e.acting.superseded(record);
		}
		else if (this.e.phase == Phase.CLAIMING) {
			this.e.moveTo(Phase.SECONDARY);
		}
		if (record.type() == RecordType.CLAIM) {
			this.e.out.info("Group '" + this.e.group + "': '" + record.instanceId() + "' is primary at epoch "
					+ record.epoch() + " (" + ((previousPrimary != null) ? "after '" + previousPrimary + "' at epoch "
							+ previousEpoch : "the first primary this instance has seen") + ")");
		}
	}

	private void vacated(ProtocolRecord record, boolean mine) {
		this.e.view.vacantSince = this.e.now;
		this.e.view.lastSignAt = this.e.now;
		this.e.claiming.rearmDisabledWarning();
		if (mine) {
			return;
		}
		this.e.out.info("Group '" + this.e.group + "': primary '" + record.instanceId() + "' left epoch "
				+ record.epoch() + " (" + Objects.requireNonNullElse(record.reason(), "no reason given") + ")"
				+ ((record.successor() != null) ? ", successor '" + record.successor() + "'" : ""));
		if (this.e.phase.isActing()) {
			// we hold a lower epoch than the one that just ended: we are stale
			this.e.acting.superseded(record);
		}
	}

	private void granted(ProtocolRecord record, boolean mine) {
		this.e.view.lastSignAt = this.e.now;
		this.e.view.lastHeartbeat = this.e.wall;
		this.e.claiming.rearmDisabledWarning();
		if (this.e.instanceId.equals(record.successor()) && this.e.session.equals(record.successorSession())) {
			this.e.acting.grantRead(record);
			return;
		}
		this.e.out.info("Group '" + this.e.group + "': primary '" + record.instanceId() + "' left epoch "
				+ record.epoch() + " (" + Objects.requireNonNullElse(record.reason(), "no reason given")
				+ ") and handed over to '" + record.successor() + "' at epoch " + this.e.log.epoch());
		if (!mine && this.e.phase.isActing()) {
			this.e.acting.superseded(record);
		}
		else if (this.e.phase == Phase.CLAIMING) {
			this.e.moveTo(Phase.SECONDARY);
		}
	}

	private void stale(ProtocolRecord record, boolean mine, long offset) {
		if (!mine && record.type() == RecordType.HEARTBEAT) {
			// somebody still acts on an older epoch: its lease may not have ended (a reader
			// whose history was compacted may have folded another holder), so its heartbeats
			// keep the silence from starting
			this.e.view.lastSignAt = this.e.now;
		}
		reject(RejectReason.STALE_EPOCH, record + " at offset " + offset + " is older than epoch " + this.e.log.epoch());
	}

	/**
	 * Hands the role on at an epoch above every one the group used, when a member tells of
	 * an epoch this member's log never showed, at or above the one it holds: the member read
	 * a log that was replaced since (or, after compaction, a claim this member never saw).
	 * Holding on would leave the group primary at an epoch that downstream fencing already
	 * saw surpassed; a handover grant (or, with nobody to take it, a plain notice) moves the
	 * group to a higher epoch within a round trip.
	 */
	private void renumber(ProtocolRecord record) {
		String reason = "'" + record.instanceId() + "' knows epoch " + record.maxEpoch()
				+ ", which this log never showed (it was replaced, or compacted): moving the group above it";
		this.e.out.warn("Instance '" + this.e.instanceId + "' steps down from epoch " + this.e.log.epoch()
				+ " of group '" + this.e.group + "': " + reason);
		this.e.leaving.stepDown(0, null, Cause.LOG_REPLACED, reason);
	}

	/**
	 * A well-formed record of the group that could not be verified (signed with a key not
	 * accepted here, or not signed) proves nothing, except that somebody writes to the group:
	 * during a rolling change of the key, an old member may be primary. So the group is not
	 * empty for this member, and it claims only after a full timeout (and the lease that
	 * record announces) of silence from such records too.
	 */
	private void unverified(ProtocolRecord record) {
		if (record.session().equals(this.e.session)) {
			return;
		}
		View view = this.e.view;
		if (record.type() == RecordType.HEARTBEAT || record.type() == RecordType.CLAIM
				|| view.unverifiedAt == Long.MIN_VALUE) {
			view.unverifiedAt = this.e.now;
		}
		// its epochs may be taken: claims go above them (bounded, so that a forger can make
		// epochs jump, never overflow)
		this.e.log.noteTaken(Math.min(record.highestEpoch(), this.e.log.maxEpoch() + Timings.MAX_UNVERIFIED_EPOCH_JUMP));
		view.unverifiedLease = Math.max(view.unverifiedLease, this.e.timings.unverifiedLease(record.leaseMillis()));
	}

	boolean progress(long endOffset) {
		View view = this.e.view;
		if (endOffset < view.progressEnd || endOffset <= view.lastOffsetRead) {
			// the log ends before what was read from it: truncated, or replaced
			logReplaced("the log ends at offset " + endOffset + ", below offset "
					+ Math.max(view.progressEnd - 1, view.lastOffsetRead) + " already read");
			return true;
		}
		long now = this.e.now;
		view.progress(endOffset, now);
		if (this.e.phase == Phase.JOINING) {
			view.joinedAt = now;
			view.lastSignAt = now;
			view.vacantSince = now;
			this.e.moveTo(Phase.SECONDARY);
			this.e.nextStandbyAt = now;
			this.e.out.info("Instance '" + this.e.instanceId + "' joined group '" + this.e.group + "' as secondary: "
					+ describeGroup());
		}
		return true;
	}

	/**
	 * Fails closed when the log is not the one folded so far (the topic was replaced or
	 * truncated, or created just now): a primary steps down at once, without a shutdown
	 * notice (which would let the others claim at once), the fold starts again from the
	 * records to come, keeping every epoch it knew as taken, and no claim is made before a
	 * full timeout of silence (and the longest lease announced) from now.
	 */
	boolean logReplaced(String reason) {
		long now = this.e.now;
		View view = this.e.view;
		long floor = Math.max(view.epochFloor, Math.max(this.e.log.maxEpoch(), this.e.log.epoch()));
		String wait = Durations.formatNanos(this.e.timings.replacedWait(this.e.log.primaryLeaseMillis(),
				view.unverifiedLease));
		if (view.knewHistory()) {
			this.e.out.warn("Group '" + this.e.group + "': the log is not the one read so far (" + reason
					+ "); instance '" + this.e.instanceId + "' forgets it, keeps epochs up to " + floor
					+ " as taken, and claims nothing for " + wait);
		}
		else {
			this.e.out.info("Group '" + this.e.group + "': " + reason + "; instance '" + this.e.instanceId
					+ "' claims nothing for " + wait + ", in case an older log of the group was replaced a moment ago");
		}
		if (this.e.phase.isActing()) {
			boolean wasPrimary = this.e.phase == Phase.PRIMARY;
			long epoch = this.e.acting.won.epoch();
			long actedUntil = this.e.acting.actedUntil();
			this.e.acting.end();
			if (wasPrimary) {
				this.e.demoted(epoch, Cause.LOG_REPLACED, "the log was replaced or truncated (" + reason + ")", false,
						actedUntil);
			}
		}
		// the new log is folded as every reader folds it, joiners included; the epochs of the
		// old one only bound what this member asks for, and travel in its records
		this.e.log = new GroupLog(this.e.group);
		this.e.claiming.clear();
		view.forgetLog(floor, now);
		if (this.e.phase == Phase.CLAIMING) {
			this.e.moveTo(Phase.SECONDARY);
		}
		if (this.e.phase == Phase.SECONDARY) {
			// catch up with the new log before acting on it
			this.e.moveTo(Phase.JOINING);
		}
		if (!this.e.leaving.closing && floor > 0) {
			// tell the new log at once which epochs are taken, before anybody who never saw
			// the old one claims on it
			this.e.publishStandby(0, false);
		}
		return true;
	}

	boolean readFailed(Throwable error) {
		if (this.e.out.tryWarn("read-error") >= 0) {
			this.e.out.warn("Instance '" + this.e.instanceId + "' cannot read the log of group '" + this.e.group
					+ "': " + error);
		}
		return false;
	}

	private void reject(RejectReason reason, String detail) {
		this.e.counters.rejected(reason);
		long suppressed = this.e.out.tryWarn(reason.tag());
		if (suppressed >= 0) {
			this.e.out.warn("Group '" + this.e.group + "': ignored a record (" + reason.tag() + "): " + detail
					+ ((suppressed > 0) ? " (" + suppressed + " similar ignored since the last warning)" : ""));
		}
	}

	private String describeGroup() {
		if (this.e.log.isEmpty()) {
			return "the group is empty";
		}
		return "epoch " + this.e.log.epoch() + ", primary '" + this.e.log.primaryId() + "'"
				+ (this.e.log.isVacant() ? " (left)" : "");
	}

}
