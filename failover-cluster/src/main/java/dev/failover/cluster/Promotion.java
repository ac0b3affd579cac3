package dev.failover.cluster;

import java.time.Duration;

/**
 * A new primary as a {@link PromotionWatch} first saw it.
 *
 * @param instance the instance that reported itself primary
 * @param status what it reported
 * @param seenNanos {@link System#nanoTime()} when its answer arrived; the promotion itself
 * happened before, by at most one poll interval plus the request's round trip
 */
public record Promotion(SampleInstance instance, InstanceStatus status, long seenNanos) {

	/**
	 * Returns the epoch of the new primary.
	 * @return the epoch
	 */
	public long epoch() {
		return this.status.epoch();
	}

	/**
	 * Returns the time from an earlier moment (such as a kill) to when the new primary was seen.
	 * @param startNanos {@link System#nanoTime()} at that moment
	 * @return the elapsed time
	 */
	public Duration since(long startNanos) {
		return Duration.ofNanos(this.seenNanos - startNanos);
	}

}
