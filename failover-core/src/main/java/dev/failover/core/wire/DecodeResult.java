package dev.failover.core.wire;

import dev.failover.core.RejectReason;

/**
 * The outcome of decoding one record: either a record, or the reason it was rejected.
 *
 * @param record the decoded record, or {@code null} if rejected
 * @param rejectReason why the record was rejected, or {@code null} if accepted
 * @param detail a short human-readable explanation of the rejection, or {@code null}
 * @param unverified for a well-formed record rejected only because its signature could not
 * be verified, what it says (to be trusted for nothing but "someone writes to this group"),
 * else {@code null}
 */
public record DecodeResult(ProtocolRecord record, RejectReason rejectReason, String detail, ProtocolRecord unverified) {

	static DecodeResult accepted(ProtocolRecord record) {
		return new DecodeResult(record, null, null, null);
	}

	static DecodeResult rejected(RejectReason reason, String detail) {
		return new DecodeResult(null, reason, detail, null);
	}

	static DecodeResult unverified(RejectReason reason, String detail, ProtocolRecord unverified) {
		return new DecodeResult(null, reason, detail, unverified);
	}

	/**
	 * Returns whether the record was accepted.
	 * @return {@code true} if {@link #record()} is set
	 */
	public boolean isAccepted() {
		return this.record != null;
	}

}
