package dev.failover.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs one action per item, each on a thread of its own, and waits for all: for "at once"
 * faults, parallel starts and stops. The common fork-join pool would not do: on a two-core
 * machine it runs one task at a time.
 */
public final class Parallel {

	private Parallel() {
	}

	/**
	 * Runs the action for every item at once and waits for all.
	 * @param <T> the item type
	 * @param items the items
	 * @param action the action
	 * @throws RuntimeException the first failure, after every action has finished
	 */
	public static <T> void forEach(List<T> items, Consumer<T> action) {
		AtomicReference<RuntimeException> failure = new AtomicReference<>();
		List<Thread> threads = new ArrayList<>();
		for (T item : items) {
			Thread thread = new Thread(() -> {
				try {
					action.accept(item);
				}
				catch (RuntimeException | Error ex) {
					failure.compareAndSet(null, (ex instanceof RuntimeException runtime) ? runtime
							: new IllegalStateException(ex));
				}
			}, "parallel-" + item);
			thread.setDaemon(true);
			threads.add(thread);
		}
		threads.forEach(Thread::start);
		boolean interrupted = false;
		for (Thread thread : threads) {
			while (thread.isAlive()) {
				try {
					thread.join();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		if (failure.get() != null) {
			throw failure.get();
		}
	}

}
