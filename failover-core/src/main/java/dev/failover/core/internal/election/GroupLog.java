package dev.failover.core.internal.election;

import java.util.Objects;

import dev.failover.core.wire.ProtocolRecord;

/**
 * The deterministic fold of a group's log: every instance applies the same records in the
 * same order through these rules, and so agrees on the group's epoch and primary without
 * talking to the others.
 * <p>
 * The rules (docs/PROTOCOL.md, "The fold"):
 * <ol>
 * <li>A claim for epoch {@code e} is valid if {@code e} is higher than every epoch claimed or
 * held so far, and no heartbeat of the current primary lies between the claim's
 * {@code basedOnOffset} and the claim. The first valid claim wins and counts as the new
 * primary's first heartbeat. Every claim, valid or not, raises the highest epoch seen, so
 * two claims can never win the same epoch, and epochs never go down.</li>
 * <li>A record of an epoch lower than the current one is stale and ignored.</li>
 * <li>A heartbeat of the current primary renews it (its sequence number must be new, or it
 * is a replay). A heartbeat of a higher epoch, or of the current epoch by another writer, is
 * adopted: a reader that started after the claim (its log was truncated, say) catches up
 * from the first heartbeat it sees, and a primary reading it steps down.</li>
 * <li>A shutdown of the current primary leaves the group vacant, so secondaries claim at once;
 * or, if it names a successor's session, it grants the successor the next epoch: the grant
 * counts as the successor's first heartbeat, so a graceful handover takes one pass through
 * the log instead of two.</li>
 * </ol>
 * Every decision depends only on what a compacted topic keeps (the latest record per key):
 * every record carries the highest epoch its writer had seen, which raises the highest epoch
 * of the fold, and a grant names the epoch it grants, so a reader whose older history was
 * compacted away or lost with a replaced topic agrees with those that read it on which
 * epochs are taken.
 * <p>
 * Not thread-safe: owned by one event loop. This class knows nothing about time.
 */
public final class GroupLog {

	/**
	 * What applying one record did.
	 */
	public enum Outcome {

		/** A valid claim: a new primary and epoch. */
		CLAIM_WON,

		/** A claim that lost: its epoch was taken, or the primary was alive after its base. */
		CLAIM_LOST,

		/** A heartbeat of the current primary. */
		RENEWED,

		/** A heartbeat of a higher epoch, or of the current epoch by another writer: adopted. */
		ADOPTED,

		/** The current primary left; the group is vacant. */
		VACATED,

		/** The current primary left and granted the next epoch to a named successor. */
		GRANTED,

		/** A record of an older epoch, ignored. */
		STALE,

		/** A heartbeat whose sequence number was already seen, or sent after its shutdown. */
		REPLAYED,

		/** A presence record, or a duplicate shutdown: no effect on the election. */
		NO_EFFECT

	}

	private final String group;

	private long epoch;

	private long maxEpoch;

	private String primaryId;

	private String primarySession;

	private boolean vacant;

	private long lastPrimaryOffset = -1;

	private long lastSeq = -1;

	private String successor;

	private boolean empty = true;

	private boolean granted;

	private long lastOffset = -1;

	/** Whether the current epoch was taken by a claim this fold judged (not a grant, an adoption or a floor). */
	private boolean heldByClaim;

	/** The lease the current primary announced in its latest record, in milliseconds (0 if unknown). */
	private long primaryLeaseMillis;

	/** Where the current primary's process answers probes, as its latest heartbeat or claim said, or {@code null}. */
	private String primaryProbe;

	/**
	 * Creates the fold of an empty log.
	 * @param group the group whose records are folded
	 */
	public GroupLog(String group) {
		this.group = Objects.requireNonNull(group, "group");
	}

	/**
	 * Applies the next record of the group's log.
	 * @param offset the record's offset, higher than any applied before
	 * @param record the record, of this group
	 * @return what the record did
	 */
	public Outcome apply(long offset, ProtocolRecord record) {
		if (!this.group.equals(record.group())) {
			throw new IllegalArgumentException("Record of group '" + record.group() + "' applied to '" + this.group + "'");
		}
		this.lastOffset = Math.max(this.lastOffset, offset);
		// what the writer had seen was in the log before this record: a no-op for a reader
		// of the whole log, and what a reader of a compacted or replaced one would miss
		// (a claim asks for more than its writer had seen, so this never decides one)
		this.maxEpoch = Math.max(this.maxEpoch, record.maxEpoch());
		return switch (record.type()) {
			case CLAIM -> applyClaim(offset, record);
			case HEARTBEAT -> applyHeartbeat(offset, record);
			case SHUTDOWN -> applyShutdown(offset, record);
			case STANDBY -> {
				// a member's epoch is one it has seen: it bounds the next claim from below,
				// which helps a reader whose older history was compacted away
				this.maxEpoch = Math.max(this.maxEpoch, record.epoch());
				yield Outcome.NO_EFFECT;
			}
		};
	}

	/**
	 * Notes an epoch that is taken without applying a record: the next claim must exceed it.
	 * @param epoch the epoch
	 */
	public void noteTaken(long epoch) {
		this.maxEpoch = Math.max(this.maxEpoch, epoch);
	}

	private Outcome applyClaim(long offset, ProtocolRecord claim) {
		long e = claim.epoch();
		if (e <= this.maxEpoch) {
			return (e < this.epoch) ? Outcome.STALE : Outcome.CLAIM_LOST;
		}
		this.maxEpoch = e;
		if (claim.basedOnOffset() < this.lastPrimaryOffset) {
			return Outcome.CLAIM_LOST;
		}
		take(offset, claim, 0);
		this.heldByClaim = true;
		return Outcome.CLAIM_WON;
	}

	/**
	 * Returns whether a record of an older epoch shows that the current epoch's claim lost:
	 * its writer still held the older epoch after it had seen the current one (a writer that
	 * read a winning claim steps down before it writes again). A reader of the whole log never
	 * sees this; a reader of a compacted log does, after it judged the last claim the cleaner
	 * kept without the heartbeats before it, and must then follow the older epoch's holder.
	 */
	private boolean provesCurrentClaimLost(ProtocolRecord record) {
		return this.heldByClaim && record.epoch() < this.epoch && record.maxEpoch() >= this.epoch;
	}

	private Outcome applyHeartbeat(long offset, ProtocolRecord heartbeat) {
		long e = heartbeat.epoch();
		if (e < this.epoch && !provesCurrentClaimLost(heartbeat)) {
			return Outcome.STALE;
		}
		if (e == this.epoch && isPrimary(heartbeat)) {
			if (this.vacant || heartbeat.seq() <= this.lastSeq) {
				return Outcome.REPLAYED;
			}
			this.lastSeq = heartbeat.seq();
			this.lastPrimaryOffset = offset;
			this.granted = false;
			this.primaryLeaseMillis = heartbeat.leaseMillis();
			this.primaryProbe = heartbeat.probe();
			return Outcome.RENEWED;
		}
		this.maxEpoch = Math.max(this.maxEpoch, e);
		take(offset, heartbeat, heartbeat.seq());
		return Outcome.ADOPTED;
	}

	private Outcome applyShutdown(long offset, ProtocolRecord shutdown) {
		long e = shutdown.epoch();
		if (provesCurrentClaimLost(shutdown)) {
			// the writer held its epoch until this notice: end that epoch, as a reader of
			// the whole log does
			this.epoch = e;
			this.primaryId = shutdown.instanceId();
			this.primarySession = shutdown.session();
			this.vacant = false;
			this.heldByClaim = false;
		}
		if (e < this.epoch) {
			return Outcome.STALE;
		}
		if (e == this.epoch) {
			if (this.vacant || !isPrimary(shutdown)) {
				return Outcome.NO_EFFECT;
			}
			if (shutdown.isGrant()) {
				// the named epoch goes to the named successor, as if it had claimed it here:
				// every reader agrees on it, whatever claims compaction removed before it
				// (older writers named none: the next epoch of the reader's fold)
				this.epoch = (shutdown.grantEpoch() > 0) ? shutdown.grantEpoch() : this.maxEpoch + 1;
				this.maxEpoch = Math.max(this.maxEpoch, this.epoch);
				this.primaryLeaseMillis = 0;
				this.primaryProbe = null;
				this.primaryId = shutdown.successor();
				this.primarySession = shutdown.successorSession();
				this.lastPrimaryOffset = offset;
				this.lastSeq = 0;
				this.successor = null;
				this.granted = true;
				this.heldByClaim = false;
				return Outcome.GRANTED;
			}
		}
		else {
			// a reader that missed the claim learns the epoch from its end
			this.heldByClaim = false;
			this.epoch = e;
			this.maxEpoch = Math.max(this.maxEpoch, e);
			this.primaryId = shutdown.instanceId();
			this.primarySession = shutdown.session();
			this.empty = false;
		}
		this.vacant = true;
		this.successor = shutdown.successor();
		return Outcome.VACATED;
	}

	private void take(long offset, ProtocolRecord record, long seq) {
		this.granted = false;
		this.heldByClaim = false;
		this.primaryLeaseMillis = record.leaseMillis();
		this.primaryProbe = record.probe();
		this.epoch = record.epoch();
		this.primaryId = record.instanceId();
		this.primarySession = record.session();
		this.vacant = false;
		this.successor = null;
		this.lastPrimaryOffset = offset;
		this.lastSeq = seq;
		this.empty = false;
	}

	private boolean isPrimary(ProtocolRecord record) {
		return record.instanceId().equals(this.primaryId) && record.session().equals(this.primarySession);
	}

	/**
	 * Returns the current epoch: that of the latest valid claim, or adopted record.
	 * @return the epoch, 0 before any
	 */
	public long epoch() {
		return this.epoch;
	}

	/**
	 * Returns the highest epoch claimed or held so far; the next claim must exceed it.
	 * @return the highest epoch
	 */
	public long maxEpoch() {
		return this.maxEpoch;
	}

	/**
	 * Returns the lease the current primary announced with its latest heartbeat or claim.
	 * @return the lease in milliseconds, or 0 if it announced none (an older writer, or a grant)
	 */
	public long primaryLeaseMillis() {
		return this.primaryLeaseMillis;
	}

	/**
	 * Returns where the current primary's process answers probes.
	 * @return {@code host:port} as its latest heartbeat or winning claim said, or {@code null}
	 */
	public String primaryProbe() {
		return this.primaryProbe;
	}

	/**
	 * Returns the instance that holds (or, if vacant, last held) the current epoch.
	 * @return the instance id, or {@code null} before any primary
	 */
	public String primaryId() {
		return this.primaryId;
	}

	/**
	 * Returns the session of the instance that holds the current epoch.
	 * @return the session, or {@code null} before any primary
	 */
	public String primarySession() {
		return this.primarySession;
	}

	/**
	 * Returns whether the current primary announced that it left.
	 * @return {@code true} if vacant
	 */
	public boolean isVacant() {
		return this.vacant;
	}

	/**
	 * Returns whether no election record of the group has been read yet.
	 * @return {@code true} for a new group
	 */
	public boolean isEmpty() {
		return this.empty;
	}

	/**
	 * Returns whether the group has a primary according to the log (not vacant, not empty).
	 * @return {@code true} if a primary holds the current epoch
	 */
	public boolean hasPrimary() {
		return !this.empty && !this.vacant;
	}

	/**
	 * Returns whether the current primary holds its epoch by a handover grant and has not
	 * heartbeated yet.
	 * @return {@code true} while a grant is unconfirmed
	 */
	public boolean isGranted() {
		return this.granted;
	}

	/**
	 * Returns the successor named by the last shutdown, if the group is vacant.
	 * @return the successor, or {@code null}
	 */
	public String successor() {
		return this.vacant ? this.successor : null;
	}

	/**
	 * Returns the offset of the current primary's latest heartbeat or winning claim.
	 * @return the offset, -1 before any
	 */
	public long lastPrimaryOffset() {
		return this.lastPrimaryOffset;
	}

	/**
	 * Returns the offset of the latest record applied.
	 * @return the offset, -1 before any
	 */
	public long lastOffset() {
		return this.lastOffset;
	}

	@Override
	public String toString() {
		return "GroupLog[" + this.group + " epoch=" + this.epoch + " max=" + this.maxEpoch + " primary=" + this.primaryId
				+ (this.vacant ? " (vacant)" : "") + "]";
	}

}
