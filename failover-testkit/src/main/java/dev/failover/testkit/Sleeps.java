package dev.failover.testkit;

import java.time.Duration;

/**
 * Sleeping in harness code (polls, pauses between steps), where an interrupt means the run is
 * being abandoned.
 */
public final class Sleeps {

	private Sleeps() {
	}

	/**
	 * Sleeps for a duration, to the nanosecond the platform allows.
	 * @param duration how long
	 * @throws IllegalStateException if interrupted (the interrupt flag is set again)
	 */
	public static void sleep(Duration duration) {
		long nanos = Math.max(0, duration.toNanos());
		try {
			Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting", ex);
		}
	}

}
