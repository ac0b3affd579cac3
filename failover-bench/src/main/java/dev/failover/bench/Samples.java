package dev.failover.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A series of measured durations and its order statistics.
 * <p>
 * Percentiles are nearest-rank: the p-th percentile of n samples is the
 * {@code ceil(p / 100 * n)}-th smallest, always a measured value. With 20 samples, p99 is
 * the largest.
 */
public final class Samples {

	private final List<Duration> values = new ArrayList<>();

	/**
	 * Adds a sample.
	 * @param value the duration
	 */
	public synchronized void add(Duration value) {
		this.values.add(value);
	}

	/**
	 * Returns the samples in the order measured.
	 * @return the samples
	 */
	public synchronized List<Duration> values() {
		return List.copyOf(this.values);
	}

	public synchronized int count() {
		return this.values.size();
	}

	/**
	 * Returns a nearest-rank percentile.
	 * @param percent from 0 (exclusive) to 100
	 * @return the percentile
	 * @throws IllegalStateException without samples
	 */
	public synchronized Duration percentile(double percent) {
		if (this.values.isEmpty()) {
			throw new IllegalStateException("no samples");
		}
		List<Duration> sorted = new ArrayList<>(this.values);
		Collections.sort(sorted);
		int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
		return sorted.get(Math.max(1, Math.min(rank, sorted.size())) - 1);
	}

	public Duration p50() {
		return percentile(50);
	}

	public Duration p90() {
		return percentile(90);
	}

	public Duration p99() {
		return percentile(99);
	}

	public synchronized Duration max() {
		return Collections.max(this.values);
	}

	public synchronized Duration min() {
		return Collections.min(this.values);
	}

	public synchronized Duration mean() {
		return Duration.ofNanos((long) this.values.stream().mapToLong(Duration::toNanos).average().orElse(0));
	}

	/**
	 * Formats a duration for a table: seconds with two decimals from one second up,
	 * milliseconds with one decimal below.
	 * @param duration the duration
	 * @return the text, such as {@code 2.53 s} or {@code 7.9 ms}
	 */
	public static String format(Duration duration) {
		double millis = duration.toNanos() / 1e6;
		if (Math.abs(millis) >= 1000) {
			return String.format(Locale.ROOT, "%.2f s", millis / 1000);
		}
		return String.format(Locale.ROOT, "%.1f ms", millis);
	}

	/**
	 * Returns the values in milliseconds, for the JSON report.
	 * @return the values
	 */
	public synchronized List<Double> millis() {
		return this.values.stream().map((value) -> value.toNanos() / 1e6).toList();
	}

}
