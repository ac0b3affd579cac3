package dev.failover.core.internal.election;

/**
 * When a record was sent, on the monotonic clock and on the wall clock (nanoseconds since
 * the epoch), so that a lease running from it can tell a system suspend.
 *
 * @param mono the monotonic time of the send
 * @param wall the wall-clock time of the send, in nanoseconds since the epoch
 */
public record Sent(long mono, long wall) {

	/**
	 * Returns how far the wall clock ran ahead of the monotonic one since the send, beyond a margin.
	 * @param monoNow the monotonic time now
	 * @param wallNow the wall-clock time now
	 * @param margin the margin
	 * @return the excess, or 0
	 */
	public long jumpNanos(long monoNow, long wallNow, long margin) {
		return Math.max(0, (wallNow - this.wall) - (monoNow - this.mono) - margin);
	}

}
