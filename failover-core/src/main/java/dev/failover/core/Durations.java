package dev.failover.core;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Formats durations the way humans write them in configuration: {@code 5s}, {@code 250ms}.
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * Formats a duration compactly.
	 * @param duration the duration, may be {@code null}
	 * @return e.g. {@code 15s}, {@code 1.5s}, {@code 250ms}, {@code 3m}
	 */
	public static String format(Duration duration) {
		if (duration == null) {
			return "null";
		}
		long nanos = duration.toNanos();
		if (nanos == 0) {
			return "0s";
		}
		if (Math.abs(nanos) % 60_000_000_000L == 0 && Math.abs(nanos) >= 60_000_000_000L) {
			return (nanos / 60_000_000_000L) + "m";
		}
		if (Math.abs(nanos) >= 1_000_000_000L) {
			return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString() + "s";
		}
		if (Math.abs(nanos) >= 1_000_000L) {
			return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + "ms";
		}
		return BigDecimal.valueOf(nanos, 3).stripTrailingZeros().toPlainString() + "us";
	}

	/**
	 * Formats a measured duration, given in nanoseconds, to the millisecond.
	 * @param nanos the duration in nanoseconds
	 * @return the formatted duration, e.g. {@code 1.002s}
	 */
	public static String formatNanos(long nanos) {
		return format(Duration.ofMillis(Math.round(nanos / 1e6)));
	}

}
