package dev.failover.core.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides whether a repetitive log line may be written now: at most one per key and window,
 * counting the ones suppressed in between, so hostile input cannot flood the logs.
 * Not thread-safe: owned by one event loop.
 */
public final class RateLimitedLog {

	private final long windowNanos;

	private final Map<String, long[]> state = new HashMap<>();

	/**
	 * Creates a limiter.
	 * @param windowNanos the minimum time between two lines with the same key
	 */
	public RateLimitedLog(long windowNanos) {
		this.windowNanos = windowNanos;
	}

	/**
	 * Asks to log a line now.
	 * @param key what the line is about (e.g. a reject reason)
	 * @param nowNanos the current time
	 * @return -1 if the line must be suppressed; otherwise the number of lines suppressed
	 * since the last one written (0 or more)
	 */
	public long tryLog(String key, long nowNanos) {
		long[] slot = this.state.get(key);
		if (slot == null) {
			this.state.put(key, new long[] { nowNanos, 0 });
			return 0;
		}
		if (nowNanos - slot[0] >= this.windowNanos) {
			long suppressed = slot[1];
			slot[0] = nowNanos;
			slot[1] = 0;
			return suppressed;
		}
		slot[1]++;
		return -1;
	}

}
