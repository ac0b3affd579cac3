package dev.failover.core.spi;

import java.util.concurrent.Executor;

/**
 * A single-threaded executor that runs tasks one at a time, in submission order, with
 * delayed tasks ordered by their due time.
 * <p>
 * Tasks submitted after {@link #shutdown()} are silently dropped: transports may still
 * deliver callbacks to a watcher that has just closed, and that must not be an error.
 * A task that throws is logged (or, on a {@link VirtualClock}, reported by the clock) and
 * never stops the loop.
 */
public interface EventLoop extends Executor {

	/**
	 * Returns the name of this loop (also the name of its thread, when it has one).
	 * @return the loop name
	 */
	String name();

	/**
	 * Runs the task on this loop as soon as possible.
	 * @param task the task to run
	 */
	@Override
	void execute(Runnable task);

	/**
	 * Runs the task on this loop after the given delay of this loop's clock.
	 * @param task the task to run
	 * @param delayNanos the delay in nanoseconds; zero or negative means as soon as possible
	 * @return a handle to cancel the task
	 */
	Cancellable schedule(Runnable task, long delayNanos);

	/**
	 * Returns whether the calling code is running on this loop.
	 * @return {@code true} on the loop
	 */
	boolean inEventLoop();

	/**
	 * Stops the loop: pending tasks are discarded and later submissions are dropped. Safe
	 * to call more than once.
	 */
	void shutdown();

}
