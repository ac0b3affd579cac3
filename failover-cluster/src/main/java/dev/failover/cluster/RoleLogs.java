package dev.failover.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.failover.testkit.Sleeps;

/**
 * Reads the role logs of a set of sample instances ({@code sample.role-log}, one JSON line
 * per role change), the suite's and the benchmark's most precise clock: each entry carries
 * the instant the instance itself changed role. The demo, the fault suite and the benchmark
 * read them.
 * <p>
 * Waiting polls the files every few milliseconds: cheaper for the instances than asking
 * their endpoints, so a measurement does not slow down what it measures.
 */
public final class RoleLogs {

	private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

	private RoleLogs() {
	}

	/**
	 * Returns every entry of one instance's role log, across its runs.
	 * @param instance the instance
	 * @return the entries in the order written
	 */
	public static List<RoleLogEntry> of(SampleInstance instance) {
		return instance.roleLogFile().map(RoleLogEntry::readAll).orElse(List.of());
	}

	/**
	 * Returns every entry of all instances' role logs, sorted by their instant.
	 * @param instances the instances
	 * @return the entries
	 */
	public static List<RoleLogEntry> all(Collection<SampleInstance> instances) {
		List<RoleLogEntry> entries = new ArrayList<>();
		instances.forEach((instance) -> entries.addAll(of(instance)));
		entries.sort(Comparator.comparing(RoleLogEntry::at));
		return entries;
	}

	/**
	 * Returns how many entries all role logs hold, to notice later changes.
	 * @param instances the instances
	 * @return the total number of entries
	 */
	public static int count(Collection<SampleInstance> instances) {
		return instances.stream().mapToInt((instance) -> of(instance).size()).sum();
	}

	/**
	 * Returns the first promotion above an epoch in any role log.
	 * @param instances the instances
	 * @param afterEpoch the epoch the promotion must exceed
	 * @return the promotion with the lowest such epoch, or empty
	 */
	public static Optional<RoleLogEntry> promotionAbove(Collection<SampleInstance> instances, long afterEpoch) {
		return all(instances).stream()
			.filter((entry) -> entry.isPromotion() && entry.epoch() > afterEpoch)
			.min(Comparator.comparingLong(RoleLogEntry::epoch));
	}

	/**
	 * Waits for a promotion above an epoch in any role log.
	 * @param instances the instances
	 * @param afterEpoch the epoch the promotion must exceed
	 * @param timeout the longest time to wait
	 * @return the promotion
	 * @throws IllegalStateException on timeout
	 */
	public static RoleLogEntry awaitPromotionAbove(Collection<SampleInstance> instances, long afterEpoch,
			Duration timeout) {
		return poll(() -> promotionAbove(instances, afterEpoch), timeout)
			.orElseThrow(() -> new IllegalStateException("No promotion above epoch " + afterEpoch
					+ " in any role log within " + timeout.toMillis() + " ms"));
	}

	/**
	 * Waits for an instance's demotion at an epoch to reach its role log: the watcher logs the
	 * change on its loop before the role log's listener hears of it on the callback thread.
	 * @param instance the instance
	 * @param epoch the epoch it held
	 * @param timeout the longest time to wait
	 * @return the demotion, or empty if none was logged in time
	 */
	public static Optional<RoleLogEntry> awaitDemotion(SampleInstance instance, long epoch, Duration timeout) {
		return poll(() -> demotion(instance, epoch), timeout);
	}

	/** Reads the role logs until an entry is found or the time is up. */
	private static Optional<RoleLogEntry> poll(Supplier<Optional<RoleLogEntry>> find, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Optional<RoleLogEntry> found = find.get();
			if (found.isPresent() || System.nanoTime() - deadline > 0) {
				return found;
			}
			Sleeps.sleep(Duration.ofNanos(POLL_NANOS));
		}
	}

	/**
	 * Returns the latest demotion of an instance at an epoch.
	 * @param instance the instance
	 * @param epoch the epoch it held
	 * @return the demotion, or empty
	 */
	public static Optional<RoleLogEntry> demotion(SampleInstance instance, long epoch) {
		return of(instance).stream().filter((entry) -> !entry.isPromotion() && entry.epoch() == epoch).reduce((a, b) -> b);
	}

	/**
	 * Returns the latest promotion of an instance to an epoch.
	 * @param instance the instance
	 * @param epoch the epoch it won
	 * @return the promotion, or empty
	 */
	public static Optional<RoleLogEntry> promotion(SampleInstance instance, long epoch) {
		return of(instance).stream().filter((entry) -> entry.isPromotion() && entry.epoch() == epoch).reduce((a, b) -> b);
	}

	/**
	 * Returns the time from an instant to a role change.
	 * @param from the start
	 * @param entry the role change
	 * @return the elapsed time (negative if the change came first)
	 */
	public static Duration since(Instant from, RoleLogEntry entry) {
		return Duration.between(from, entry.at());
	}

}
