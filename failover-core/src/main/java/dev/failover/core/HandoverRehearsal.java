package dev.failover.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import dev.failover.core.spi.FailoverClock;
import dev.failover.core.testing.InMemoryLog;

/**
 * Runs the handover code once, between two silent watchers on an in-memory log, so that a
 * process's first real handover runs code that is already loaded and linked.
 * <p>
 * A graceful handover is on the clock: the leaving primary and its successor each run code
 * they have never run before (the step-down, the shutdown notice and its grant, the
 * promotion), and the first run of any Java code pays for loading its classes from the
 * application's jar, verifying them and linking its lambdas. On a busy machine that is
 * several milliseconds on each side. A rehearsal pays it at start-up instead, off the
 * application's threads:
 * <ol>
 * <li>{@code r1} (preferring primary) joins an empty group and is elected;</li>
 * <li>{@code r2} joins, and {@code r1} hands over to it (a switchover);</li>
 * <li>{@code r2} shuts down gracefully, granting the role back to {@code r1};</li>
 * <li>{@code r1} shuts down, leaving the group vacant.</li>
 * </ol>
 * The watchers are built from the application's configuration (so that signing, if
 * configured, is rehearsed too) with short timings. They log nothing about their role
 * changes (a failing listener or event loop would still be logged), have no callbacks and no
 * metrics, only a listener that records their role changes for the {@link Outcome}, and use
 * neither Kafka nor the application's watcher. It takes well under a second and some tens of
 * milliseconds of CPU, once.
 */
public final class HandoverRehearsal {

	private static final String GROUP = "handover-rehearsal";

	private static final long POLL_MILLIS = 2;

	private static final FailoverClock CLOCK = FailoverClock.system();

	private HandoverRehearsal() {
	}

	/**
	 * Rehearses a switchover and a graceful handover. Throws no exception (an error such as
	 * a {@link LinkageError} still propagates): a rehearsal that fails or does not finish in
	 * time is stopped and reported.
	 * @param config the application's configuration (its timings are replaced)
	 * @param timeout how long the rehearsal may take
	 * @return what happened
	 */
	public static Outcome run(FailoverConfig config, Duration timeout) {
		long started = System.nanoTime();
		List<Watcher> watchers = new ArrayList<>(2);
		List<RoleChange> changes = new CopyOnWriteArrayList<>();
		String step = "start";
		InMemoryLog log = null;
		try {
			long deadline = started + timeout.toNanos();
			FailoverConfig timings = rehearsalTimings(config, timeout);
			log = new InMemoryLog(CLOCK);
			Watcher first = watcher("r1", log, timings.toBuilder().role(Role.PRIMARY).build(), changes);
			watchers.add(first);
			first.start();
			step = "election of r1";
			await(first::isPrimary, deadline);
			Watcher second = watcher("r2", log, timings.toBuilder().role(Role.SECONDARY).build(), changes);
			watchers.add(second);
			second.start();
			step = "r1 seeing r2";
			await(() -> knows(first, "r2"), deadline);
			step = "switchover from r1 to r2";
			if (!Boolean.TRUE.equals(await(first.switchover("r2"), deadline))) {
				throw new IllegalStateException("r1 was not primary");
			}
			await(second::isPrimary, deadline);
			step = "r2 seeing r1 again";
			await(() -> knows(second, "r1"), deadline);
			step = "graceful shutdown of r2";
			await(second.shutdownAsync(), deadline);
			await(first::isPrimary, deadline);
			step = "graceful shutdown of r1";
			await(first.shutdownAsync(), deadline);
			step = "listeners hearing all six role changes";
			await(() -> changes.size() >= 6, deadline);
			return new Outcome(true, "done", Duration.ofNanos(System.nanoTime() - started), List.copyOf(changes));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome(false, "interrupted at " + step, Duration.ofNanos(System.nanoTime() - started),
					List.copyOf(changes));
		}
		catch (Timeout ex) {
			return new Outcome(false, step + " did not happen within " + timeout.toMillis() + " ms",
					Duration.ofNanos(System.nanoTime() - started), List.copyOf(changes));
		}
		catch (RuntimeException ex) {
			return new Outcome(false, step + " failed: " + ex, Duration.ofNanos(System.nanoTime() - started),
					List.copyOf(changes));
		}
		finally {
			// idempotent for a watcher that has left; one left mid-way stops without a word
			for (Watcher watcher : watchers) {
				watcher.closeAbruptly();
			}
			if (log != null) {
				log.close();
			}
		}
	}

	/** The application's settings with short timings, and without its probe endpoint. */
	private static FailoverConfig rehearsalTimings(FailoverConfig config, Duration timeout) {
		return config.toBuilder()
			.enabled(true)
			.priority(0)
			.heartbeatInterval(Duration.ofMillis(200))
			.heartbeatTimeout(Duration.ofSeconds(1))
			.leaseMargin(Duration.ofMillis(200))
			.claimBackoffMin(Duration.ofMillis(10))
			.claimBackoffMax(Duration.ofMillis(50))
			.claimStagger(Duration.ofMillis(10))
			.shutdownTimeout(timeout)
			// the application's probe port, if it names one, is its watcher's alone
			.processProbe(false)
			.build();
	}

	private static Watcher watcher(String id, InMemoryLog log, FailoverConfig config, List<RoleChange> changes) {
		// the listener rehearses the delivery of role changes too
		return Watcher.builder()
			.group(GROUP)
			.instanceId(id)
			.transport(log.connect(id))
			.config(config)
			.listener(changes::add)
			.quiet()
			.build();
	}

	private static boolean knows(Watcher watcher, String other) {
		return watcher.status().members().stream().anyMatch((member) -> member.instanceId().equals(other));
	}

	private static void await(BooleanSupplier condition, long deadline) throws InterruptedException, Timeout {
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline >= 0) {
				throw new Timeout();
			}
			Thread.sleep(POLL_MILLIS);
		}
	}

	private static <T> T await(CompletableFuture<T> future, long deadline) throws InterruptedException, Timeout {
		try {
			return CLOCK.await(future, Duration.ofNanos(deadline - System.nanoTime()));
		}
		catch (TimeoutException ex) {
			throw new Timeout();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	/**
	 * What a rehearsal did.
	 * @param completed whether every step happened
	 * @param detail {@code done}, or the step that did not happen and why
	 * @param took how long it took
	 * @param changes the role changes of both watchers, each in the order it happened, the
	 * watchers' interleaved as their listeners heard them
	 */
	public record Outcome(boolean completed, String detail, Duration took, List<RoleChange> changes) {
	}

	private static final class Timeout extends Exception {

		private static final long serialVersionUID = 1L;

		Timeout() {
			super(null, null, false, false);
		}

	}

}
