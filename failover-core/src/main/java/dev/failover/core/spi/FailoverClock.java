package dev.failover.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import dev.failover.core.internal.SystemClock;

/**
 * The source of time and of event loops for a watcher.
 * <p>
 * Everything in the protocol that depends on time goes through this interface:
 * {@link #nanoTime()} measures every interval, timeout and lease (it is monotonic and never
 * jumps with the wall clock), {@link #instant()} only labels records and events for humans,
 * and {@link #newEventLoop(String)} creates the loops whose timers run on the same time
 * base. Production code uses {@link #system()}; tests use a {@link VirtualClock} so that a
 * whole group of watchers runs deterministically under simulated time.
 */
public interface FailoverClock {

	/**
	 * Returns the clock that uses the JVM's monotonic clock, the system wall clock and one
	 * daemon thread per event loop.
	 * @return the system clock
	 */
	static FailoverClock system() {
		return SystemClock.INSTANCE;
	}

	/**
	 * Returns a monotonic time in nanoseconds, only meaningful as a difference.
	 * @return the current monotonic time
	 */
	long nanoTime();

	/**
	 * Returns the current wall-clock time, used for display only.
	 * @return the current instant
	 */
	Instant instant();

	/**
	 * Creates a new single-threaded event loop driven by this clock.
	 * @param name the loop's name, used for its thread
	 * @return a new loop, owned by the caller
	 */
	EventLoop newEventLoop(String name);

	/**
	 * Waits until the future completes or the timeout elapses on this clock. A virtual
	 * clock advances simulated time instead of blocking.
	 * @param <T> the result type
	 * @param future the future to wait for
	 * @param timeout how long to wait at most
	 * @return the result of the future
	 * @throws TimeoutException if the future did not complete in time
	 * @throws ExecutionException if the future completed exceptionally
	 * @throws InterruptedException if the calling thread was interrupted
	 */
	default <T> T await(CompletableFuture<T> future, Duration timeout)
			throws TimeoutException, ExecutionException, InterruptedException {
		return future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
	}

}
