package dev.failover.core.internal;

import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.failover.core.spi.Cancellable;
import dev.failover.core.spi.EventLoop;
import dev.failover.core.spi.FailoverClock;

/**
 * The production clock: {@link System#nanoTime()}, the system wall clock, and event loops
 * that each own one named daemon thread.
 */
public final class SystemClock implements FailoverClock {

	/** The one system clock. */
	public static final SystemClock INSTANCE = new SystemClock();

	private SystemClock() {
	}

	@Override
	public long nanoTime() {
		return System.nanoTime();
	}

	@Override
	public Instant instant() {
		return Instant.now();
	}

	@Override
	public EventLoop newEventLoop(String name) {
		return new ThreadEventLoop(name);
	}

	@Override
	public String toString() {
		return "SystemClock";
	}

	/**
	 * An event loop backed by a single-thread scheduled executor.
	 */
	static final class ThreadEventLoop implements EventLoop {

		private static final Logger logger = LoggerFactory.getLogger(ThreadEventLoop.class);

		private final String name;

		private final ScheduledThreadPoolExecutor executor;

		private volatile Thread thread;

		ThreadEventLoop(String name) {
			this.name = name;
			this.executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
				Thread t = new Thread(runnable, name);
				t.setDaemon(true);
				this.thread = t;
				return t;
			});
			this.executor.setRemoveOnCancelPolicy(true);
			this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public void execute(Runnable task) {
			try {
				this.executor.execute(() -> runSafely(task));
			}
			catch (RejectedExecutionException ex) {
				// the loop has been shut down: late callbacks are dropped by design
			}
		}

		@Override
		public Cancellable schedule(Runnable task, long delayNanos) {
			try {
				ScheduledFuture<?> future = this.executor.schedule(() -> runSafely(task), Math.max(0, delayNanos),
						TimeUnit.NANOSECONDS);
				return () -> future.cancel(false);
			}
			catch (RejectedExecutionException ex) {
				return Cancellable.NONE;
			}
		}

		@Override
		public boolean inEventLoop() {
			return Thread.currentThread() == this.thread;
		}

		@Override
		public void shutdown() {
			this.executor.shutdownNow();
		}

		private void runSafely(Runnable task) {
			try {
				task.run();
			}
			catch (Throwable ex) {
				logger.error("Task on event loop '{}' failed; the loop keeps running", this.name, ex);
			}
		}

		@Override
		public String toString() {
			return "EventLoop[" + this.name + "]";
		}

	}

}
