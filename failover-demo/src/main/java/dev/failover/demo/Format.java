package dev.failover.demo;

import java.time.Duration;
import java.util.Locale;

/**
 * Human-readable measured durations: milliseconds below a second, seconds with two
 * decimals below ten, then with one.
 */
final class Format {

	private Format() {
	}

	static String duration(Duration duration) {
		long millis = duration.toMillis();
		if (millis < 1000) {
			return millis + " ms";
		}
		double seconds = duration.toNanos() / 1e9;
		if (duration.toNanos() % 1_000_000_000L == 0 && seconds < 120) {
			// a configured value such as a timeout, not a measurement
			return (millis / 1000) + " s";
		}
		if (seconds < 10) {
			return String.format(Locale.ROOT, "%.2f s", seconds);
		}
		if (seconds < 120) {
			return String.format(Locale.ROOT, "%.1f s", seconds);
		}
		return (millis / 60000) + " min " + ((millis / 1000) % 60) + " s";
	}

	static String records(long count) {
		return count + ((count == 1) ? " record" : " records");
	}

	static String nanosSince(long startNanos) {
		return duration(Duration.ofNanos(System.nanoTime() - startNanos));
	}

	/** An age such as a heartbeat's: tenths of seconds are what a reader can follow. */
	static String age(Duration age) {
		if (age.isNegative()) {
			// wall clocks of processes on one machine agree to well under a millisecond
			age = Duration.ZERO;
		}
		return String.format(Locale.ROOT, "%.1f s ago", age.toMillis() / 1000.0);
	}

}
