package dev.failover.core.record;

/**
 * The outcome of decoding one record: either a record, or the reason it was rejected.
 *
 * @param record the decoded record, or {@code null} if rejected
 * @param rejectReason why the record was rejected, or {@code null} if accepted
 * @param detail a short human-readable explanation of the rejection, or {@code null}
 */
public record DecodeResult(ProtocolRecord record, RejectReason rejectReason, String detail) {

	static DecodeResult accepted(ProtocolRecord record) {
		return new DecodeResult(record, null, null);
	}

	static DecodeResult rejected(RejectReason reason, String detail) {
		return new DecodeResult(null, reason, detail);
	}

	/**
	 * Returns whether the record was accepted.
	 * @return {@code true} if {@link #record()} is set
	 */
	public boolean isAccepted() {
		return this.record != null;
	}

}
