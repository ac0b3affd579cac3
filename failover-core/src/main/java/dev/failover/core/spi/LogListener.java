package dev.failover.core.spi;

/**
 * Receives a group's log, in order, from a {@link Transport}. Calls are never concurrent.
 */
public interface LogListener {

	/**
	 * Called for each record, in log order.
	 * @param offset the record's offset in the log
	 * @param key the record's key, may be {@code null}
	 * @param value the record's value, may be {@code null}
	 */
	void onRecord(long offset, String key, byte[] value);

	/**
	 * Called when the transport has just confirmed with the broker that every record before
	 * {@code endOffset} has been delivered: the listener's view of the log is complete as of
	 * {@code observedAtNanos}. Transports call this repeatedly (about every progress interval)
	 * while the log is readable, and stop calling it while it is not; silence here is how a
	 * watcher knows it is cut off.
	 * <p>
	 * {@code observedAtNanos} must be no later than the moment the log's end was observed
	 * (for a broker: when the end-offset query was sent), on the clock of the watcher that
	 * reads the log ({@link System#nanoTime()} for the system clock): every record at or
	 * after {@code endOffset} was appended after that instant, which lets a successor named
	 * in a handover date the start of its lease safely.
	 * @param endOffset the offset the next record will get
	 * @param observedAtNanos when the end was observed, or earlier
	 */
	void onProgress(long endOffset, long observedAtNanos);

	/**
	 * Called when the log the listener has read so far is no longer the log: the topic was
	 * deleted and created again, a leader election without a clean replica truncated it, or
	 * the transport had to create the log just now (so nothing says it did not exist, with
	 * other records, a moment ago). Offsets may start again from a lower value after this
	 * call; the transport delivers the new log from its beginning, and then confirms progress
	 * as usual. A listener must forget what it folded, and treat the group as one whose
	 * primary may still act for a whole timeout (it fails closed).
	 * @param reason what the transport saw, for the log
	 */
	default void onLogReplaced(String reason) {
	}

	/**
	 * Called when reading failed; the transport keeps trying.
	 * @param error what went wrong
	 */
	default void onError(Throwable error) {
	}

}
