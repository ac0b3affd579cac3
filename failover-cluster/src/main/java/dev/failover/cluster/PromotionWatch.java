package dev.failover.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A fast poller that times role changes: it asks every instance for its status every few
 * milliseconds, each on its own thread, and records the moment a primary with a higher
 * epoch than a baseline is first seen.
 * <p>
 * Start it <em>before</em> the fault or the request whose effect is timed (a graceful
 * switchover completes in milliseconds, possibly before the request returns):
 * <pre class="code">
 * try (PromotionWatch watch = cluster.watchForPromotion()) {
 *     long start = System.nanoTime();
 *     primary.kill();
 *     Promotion promotion = watch.await(Duration.ofSeconds(30));
 *     Duration failover = promotion.since(start);
 * }
 * </pre>
 * One thread per instance, so a paused instance (whose requests time out) never delays the
 * others. Stopped and paused instances are skipped until they run again. The measurement
 * errs late, never early: an answer is stamped when it arrives.
 */
public final class PromotionWatch implements AutoCloseable {

	private final long afterEpoch;

	private final long intervalNanos;

	private final CompletableFuture<Promotion> result = new CompletableFuture<>();

	private final Map<String, String> lastSeen = new ConcurrentHashMap<>();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean closed;

	PromotionWatch(List<SampleInstance> instances, long afterEpoch, Duration interval) {
		this.afterEpoch = afterEpoch;
		this.intervalNanos = interval.toNanos();
		for (SampleInstance instance : instances) {
			Thread thread = new Thread(() -> poll(instance), "promotion-watch-" + instance.id());
			thread.setDaemon(true);
			this.threads.add(thread);
		}
		this.threads.forEach(Thread::start);
	}

	/**
	 * Returns the epoch a new primary must exceed.
	 * @return the baseline epoch
	 */
	public long afterEpoch() {
		return this.afterEpoch;
	}

	/**
	 * Returns the new primary if one has been seen.
	 * @return the promotion, or empty so far
	 */
	public Optional<Promotion> poll() {
		return Optional.ofNullable(this.result.getNow(null));
	}

	/**
	 * Waits for a new primary.
	 * @param timeout the longest time to wait
	 * @return the first new primary seen
	 * @throws IllegalStateException on timeout; the message says what each instance last reported
	 */
	public Promotion await(Duration timeout) {
		try {
			return this.result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("No primary above epoch " + this.afterEpoch + " seen within "
					+ timeout.toMillis() + " ms; last seen: " + this.lastSeen, ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Promotion watch failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a new primary", ex);
		}
	}

	/**
	 * Stops polling.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.threads.forEach(LockSupport::unpark);
	}

	private void poll(SampleInstance instance) {
		while (!this.closed && !this.result.isDone()) {
			long started = System.nanoTime();
			if (instance.isAlive() && !instance.isPaused()) {
				observe(instance);
			}
			else {
				this.lastSeen.put(instance.id(), instance.isAlive() ? "paused" : "stopped");
			}
			long rest = this.intervalNanos - (System.nanoTime() - started);
			if (rest > 0) {
				LockSupport.parkNanos(rest);
			}
		}
	}

	private void observe(SampleInstance instance) {
		try {
			InstanceStatus status = instance.status();
			long arrived = System.nanoTime();
			this.lastSeen.put(instance.id(), status.role() + "@" + status.epoch());
			if (status.isPrimary() && status.epoch() > this.afterEpoch) {
				this.result.complete(new Promotion(instance, status, arrived));
			}
		}
		catch (RuntimeException ex) {
			this.lastSeen.put(instance.id(), "no answer");
		}
	}

}
