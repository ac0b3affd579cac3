package dev.failover.core.internal.election;

import java.time.Instant;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What one member knows of its group's log, and since when: how far it has read, when it
 * last confirmed that it sees the whole log, when it last saw a sign of a primary, and what
 * it keeps from logs that were replaced under it. Times are on the monotonic clock.
 */
final class View {

	/** The offset of the latest record read, -1 before any. */
	long lastOffsetRead = -1;

	/** The end of the log as last reported by the transport. */
	long progressEnd;

	/** When the transport last reported the end of the log. */
	long lastProgressAt = Long.MIN_VALUE;

	/**
	 * When this member last read back one of its own records, and when that record was sent:
	 * every record after it was appended after that send. Only such a read confirms a view
	 * for claims and grants; an end offset from the broker may be stale (a partition leader
	 * cut off from the cluster answers with its own), a record of ours read back is not.
	 */
	long lastConfirmedAt = Long.MIN_VALUE;

	Sent lastConfirmedSent;

	/** Presence records written and not yet read back: send time by sequence number. */
	final NavigableMap<Long, Sent> pendingStandbys = new TreeMap<>();

	long standbySeq;

	/** When this member caught up with the log. */
	long joinedAt;

	/** The last sign of life of a primary: a heartbeat, a claim, a shutdown or a grant. */
	long lastSignAt;

	/** When the group became vacant (or this member caught up). */
	long vacantSince;

	/** When the primary's last heartbeat was read, on the wall clock. */
	Instant lastHeartbeat;

	/** The highest epoch of logs replaced under this member, or that it acted at: its claims and grants go above it. */
	long epochFloor;

	/** When the log was last found replaced or truncated: claims wait a full silence after it. */
	long replacedAt = Long.MIN_VALUE;

	/** When a record that could not be verified (another signing key, or none) was last read. */
	long unverifiedAt = Long.MIN_VALUE;

	/** The longest lease announced by such a record, in nanoseconds. */
	long unverifiedLease;

	/** The session whose process is known to be gone (fast crash detection), or {@code null}. */
	String goneSession;

	/** When that became known. */
	long goneAt;

	/** Returns whether this member read back one of its records within the freshness window. */
	boolean isFresh(long now, long freshness) {
		return this.lastConfirmedAt != Long.MIN_VALUE && now - this.lastConfirmedAt <= freshness;
	}

	/** Returns whether the log holds anything this member read (or was told was there). */
	boolean knewHistory() {
		return this.lastOffsetRead >= 0 || this.progressEnd > 0;
	}

	/** Returns the last offset this member knows to be in the log: a claim's base. */
	long basedOn() {
		return Math.max(this.lastOffsetRead, this.progressEnd - 1);
	}

	/** Records that the transport confirmed the end of the log. */
	void progress(long endOffset, long now) {
		this.lastProgressAt = now;
		this.progressEnd = Math.max(this.progressEnd, endOffset);
	}

	/**
	 * Records that one of this member's records, sent at {@code sent}, was read back at
	 * {@code offset}: every record before it has been read, and every record after it was
	 * appended after its send.
	 */
	void confirmed(long offset, Sent sent, long now) {
		progress(offset + 1, now);
		this.lastConfirmedAt = now;
		// each confirmation bounds the records after it, so the latest bound holds
		if (this.lastConfirmedSent == null || sent.mono() > this.lastConfirmedSent.mono()) {
			this.lastConfirmedSent = sent;
		}
	}

	/** Remembers a presence record being sent, to recognise it when it is read back. */
	long standbySent(long now, long wallNanos, long forgetAfter) {
		// one not read back within a timeout never will be: forget it
		this.pendingStandbys.values().removeIf((sent) -> now - sent.mono() > forgetAfter);
		long seq = ++this.standbySeq;
		this.pendingStandbys.put(seq, new Sent(now, wallNanos));
		return seq;
	}

	/** Forgets what was read of a log that turned out not to be the one read: a new one follows. */
	void forgetLog(long floor, long now) {
		this.epochFloor = floor;
		this.pendingStandbys.clear();
		this.lastOffsetRead = -1;
		this.progressEnd = 0;
		this.lastConfirmedAt = Long.MIN_VALUE;
		this.lastConfirmedSent = null;
		this.replacedAt = now;
		this.lastSignAt = now;
	}

}
