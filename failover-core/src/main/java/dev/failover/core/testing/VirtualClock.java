package dev.failover.core.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import dev.failover.core.spi.Cancellable;
import dev.failover.core.spi.EventLoop;
import dev.failover.core.spi.FailoverClock;

/**
 * A clock whose time moves only when a test says so: a discrete-event simulator for
 * whole groups of watchers.
 * <p>
 * Every event loop created by this clock shares one queue of timed tasks; {@link #advance}
 * runs them in due-time order (ties in submission order), setting {@link #nanoTime()} to
 * each task's due time as it runs. Runs are therefore deterministic and take no real time:
 * a minute of protocol runs in milliseconds. A loop can be {@linkplain #pause(EventLoop)
 * paused} to simulate a stopped process (a long GC pause or {@code SIGSTOP}): its due tasks
 * wait and run, in order, once it is resumed, while time keeps passing for everybody else.
 * <p>
 * A virtual clock is not thread-safe: create it, and drive it, from one thread. A task that
 * throws stops {@link #advance} with an {@link IllegalStateException}, so that a bug in a
 * simulation never goes unnoticed.
 */
public final class VirtualClock implements FailoverClock {

	private static final long MAX_TASKS_PER_INSTANT = 1_000_000;

	private static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

	private final Instant wallStart;

	private final PriorityQueue<Task> queue = new PriorityQueue<>(
			Comparator.comparingLong((Task t) -> t.due).thenComparingLong((t) -> t.seq));

	private final List<Runnable> observers = new ArrayList<>();

	private final List<VirtualLoop> loops = new ArrayList<>();

	private volatile long now;

	private long seq;

	private VirtualLoop running;

	private long tasksAtThisInstant;

	private long instantOfCount = -1;

	/**
	 * Creates a virtual clock whose wall time starts at 2026-01-01T00:00:00Z.
	 */
	public VirtualClock() {
		this(DEFAULT_START);
	}

	/**
	 * Creates a virtual clock whose wall time starts at the given instant.
	 * @param wallStart the wall-clock time at virtual time zero
	 */
	public VirtualClock(Instant wallStart) {
		this.wallStart = wallStart;
	}

	@Override
	public long nanoTime() {
		return this.now;
	}

	@Override
	public Instant instant() {
		return this.wallStart.plusNanos(this.now);
	}

	/**
	 * Returns the virtual time elapsed since the clock was created.
	 * @return the elapsed time
	 */
	public Duration elapsed() {
		return Duration.ofNanos(this.now);
	}

	@Override
	public EventLoop newEventLoop(String name) {
		VirtualLoop loop = new VirtualLoop(name);
		this.loops.add(loop);
		return loop;
	}

	/**
	 * Returns the loops created by this clock that have not been shut down, for instance to
	 * pause every loop of one simulated process.
	 * @return the live loops, in creation order
	 */
	public List<EventLoop> loops() {
		this.loops.removeIf((loop) -> loop.shutdown);
		return List.copyOf(this.loops);
	}

	/**
	 * Registers an observer that runs after every task, for instance to check an invariant
	 * at every instant at which state can change.
	 * @param observer the observer
	 */
	public void onEachTask(Runnable observer) {
		this.observers.add(observer);
	}

	/**
	 * Runs every task due within the given duration, then sets the time to its end.
	 * @param duration how far to move time
	 */
	public void advance(Duration duration) {
		runUntil(this.now + duration.toNanos(), () -> false);
	}

	/**
	 * Runs tasks until the condition holds (checked before the first task and after each
	 * one) or the given duration has passed.
	 * @param condition the condition to wait for
	 * @param max how far to move time at most
	 * @return whether the condition holds
	 */
	public boolean advanceUntil(BooleanSupplier condition, Duration max) {
		return runUntil(this.now + max.toNanos(), condition);
	}

	/**
	 * Pauses a loop created by this clock: its tasks stay queued until it is resumed.
	 * @param loop the loop to pause
	 */
	public void pause(EventLoop loop) {
		asVirtual(loop).paused = true;
	}

	/**
	 * Resumes a paused loop; the tasks that fell due meanwhile run now, in order.
	 * @param loop the loop to resume
	 */
	public void resume(EventLoop loop) {
		VirtualLoop virtual = asVirtual(loop);
		virtual.paused = false;
		for (Task task : virtual.parked) {
			task.due = this.now;
			task.seq = this.seq++;
			this.queue.add(task);
		}
		virtual.parked.clear();
	}

	/**
	 * Returns whether the loop is paused.
	 * @param loop a loop created by this clock
	 * @return {@code true} if paused
	 */
	public boolean isPaused(EventLoop loop) {
		return asVirtual(loop).paused;
	}

	@Override
	public <T> T await(CompletableFuture<T> future, Duration timeout)
			throws TimeoutException, ExecutionException, InterruptedException {
		if (!advanceUntil(future::isDone, timeout)) {
			throw new TimeoutException("Not completed within " + timeout + " of virtual time");
		}
		return future.get();
	}

	private boolean runUntil(long deadline, BooleanSupplier condition) {
		if (this.running != null) {
			throw new IllegalStateException("A virtual clock cannot be advanced from one of its own tasks");
		}
		while (true) {
			if (condition.getAsBoolean()) {
				return true;
			}
			Task next = this.queue.peek();
			if (next == null || next.due > deadline) {
				this.now = Math.max(this.now, deadline);
				return condition.getAsBoolean();
			}
			this.queue.poll();
			if (next.cancelled || next.loop.shutdown) {
				continue;
			}
			this.now = Math.max(this.now, next.due);
			if (this.now != this.instantOfCount) {
				this.instantOfCount = this.now;
				this.tasksAtThisInstant = 0;
			}
			if (++this.tasksAtThisInstant > MAX_TASKS_PER_INSTANT) {
				throw new IllegalStateException("Livelock: more than " + MAX_TASKS_PER_INSTANT
						+ " tasks ran at virtual time " + elapsed() + " without time moving; the last on loop '"
						+ next.loop.name + "'");
			}
			if (next.loop.paused) {
				next.loop.parked.add(next);
				continue;
			}
			this.running = next.loop;
			try {
				next.runnable.run();
			}
			catch (Throwable ex) {
				throw new IllegalStateException(
						"Task on virtual loop '" + next.loop.name + "' failed at " + elapsed() + ": " + ex, ex);
			}
			finally {
				this.running = null;
			}
			for (Runnable observer : this.observers) {
				observer.run();
			}
		}
	}

	private VirtualLoop asVirtual(EventLoop loop) {
		if (loop instanceof VirtualLoop virtual && virtual.clock() == this) {
			return virtual;
		}
		throw new IllegalArgumentException("Loop " + loop + " was not created by this virtual clock");
	}

	private Task enqueue(VirtualLoop loop, Runnable runnable, long delayNanos) {
		Task task = new Task(loop, runnable, this.now + Math.max(0, delayNanos), this.seq++);
		this.queue.add(task);
		return task;
	}

	@Override
	public String toString() {
		return "VirtualClock[" + elapsed() + "]";
	}

	private static final class Task {

		final VirtualLoop loop;

		final Runnable runnable;

		long due;

		long seq;

		boolean cancelled;

		Task(VirtualLoop loop, Runnable runnable, long due, long seq) {
			this.loop = loop;
			this.runnable = runnable;
			this.due = due;
			this.seq = seq;
		}

	}

	private final class VirtualLoop implements EventLoop {

		private final String name;

		private final List<Task> parked = new ArrayList<>();

		private boolean paused;

		private boolean shutdown;

		VirtualLoop(String name) {
			this.name = name;
		}

		VirtualClock clock() {
			return VirtualClock.this;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public void execute(Runnable task) {
			schedule(task, 0);
		}

		@Override
		public Cancellable schedule(Runnable task, long delayNanos) {
			if (this.shutdown) {
				return Cancellable.NONE;
			}
			Task queued = enqueue(this, task, delayNanos);
			return () -> queued.cancelled = true;
		}

		@Override
		public boolean inEventLoop() {
			return VirtualClock.this.running == this;
		}

		@Override
		public void shutdown() {
			this.shutdown = true;
			this.parked.clear();
		}

		@Override
		public String toString() {
			return "VirtualLoop[" + this.name + "]";
		}

	}

}
