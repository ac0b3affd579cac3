package dev.failover.core.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.failover.core.spi.LogListener;
import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link Transport} must do for a watcher, as tests: the in-memory log and the
 * Kafka transport both run them ({@code InMemoryLogContractTest}, {@code KafkaTransportContractIT}).
 * A subclass supplies a transport on an empty log; every test uses groups of its own.
 * Deadlines are generous: they bound a hang, they do not measure speed.
 */
public abstract class TransportContract {

	/** How long anything may take before a test gives up. */
	protected static final Duration DEADLINE = Duration.ofSeconds(30);

	/** How often a subscriber asks to hear of progress. */
	protected static final Duration PROGRESS = Duration.ofMillis(50);

	private final List<Subscription> subscriptions = new ArrayList<>();

	/**
	 * Returns the transport under test, on a log that holds no record of the groups the
	 * tests use (the same instance for every call within one test).
	 * @return the transport
	 */
	protected abstract Transport transport();

	/**
	 * Returns the clock the transport dates progress with, in nanoseconds.
	 * @return now
	 */
	protected long nanoTime() {
		return System.nanoTime();
	}

	@AfterEach
	void closeSubscriptions() {
		this.subscriptions.forEach(Subscription::close);
	}

	@Test
	void acknowledgedRecordsOfAGroupAreDeliveredInOrderWithTheirKeysValuesAndRisingOffsets() {
		String group = newGroup();
		List<Long> offsets = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String key = (i % 3 == 0) ? Transport.memberKey(group, "m" + i) : Transport.groupKey(group);
			offsets.add(join(transport().publish(group, key, bytes("record-" + i))));
		}
		assertThat(offsets).isSorted().doesNotHaveDuplicates();
		Recorder recorder = subscribe(group, 0);
		awaitUntil(() -> recorder.records.size() >= 20, "all 20 records delivered");
		assertThat(recorder.offsets()).containsExactlyElementsOf(offsets);
		for (int i = 0; i < 20; i++) {
			Delivered record = recorder.records.get(i);
			assertThat(record.text()).isEqualTo("record-" + i);
			assertThat(record.key()).isEqualTo((i % 3 == 0) ? Transport.memberKey(group, "m" + i)
					: Transport.groupKey(group));
		}
		assertThat(recorder.concurrentCalls.get()).isZero();
	}

	@Test
	void recordsPublishedWhileSubscribedAreDelivered() {
		String group = newGroup();
		Recorder recorder = subscribe(group, 0);
		awaitUntil(() -> !recorder.progress.isEmpty(), "a first progress report");
		long offset = join(transport().publish(group, Transport.groupKey(group), bytes("live")));
		awaitUntil(() -> recorder.offsets().contains(offset), "the live record delivered");
		assertThat(recorder.records).extracting(Delivered::text).containsExactly("live");
	}

	@Test
	void aPromptRecordIsAppendedInOrderWithTheOthers() {
		String group = newGroup();
		long first = join(transport().publish(group, Transport.groupKey(group), bytes("heartbeat")));
		long notice = join(transport().publishPromptly(group, Transport.groupKey(group), bytes("notice"),
				Duration.ofSeconds(1)));
		long tombstone = join(transport().publishPromptly(group, Transport.memberKey(group, "leaving"), null,
				Duration.ZERO));
		assertThat(List.of(first, notice, tombstone)).isSorted().doesNotHaveDuplicates();
		Recorder recorder = subscribe(group, 0);
		awaitUntil(() -> recorder.offsets().contains(tombstone), "the prompt records delivered");
		assertThat(recorder.records).extracting(Delivered::text).containsExactly("heartbeat", "notice", null);
	}

	@Test
	void aTombstoneIsDeliveredWithoutAValue() {
		String group = newGroup();
		String key = Transport.memberKey(group, "gone");
		join(transport().publish(group, key, bytes("present")));
		long tombstone = join(transport().publish(group, key, null));
		Recorder recorder = subscribe(group, 0);
		awaitUntil(() -> recorder.offsets().contains(tombstone), "the tombstone delivered");
		Delivered last = recorder.records.get(recorder.records.size() - 1);
		assertThat(last.key()).isEqualTo(key);
		assertThat(last.value()).isNull();
	}

	@Test
	void progressNamesTheEndOfTheLogAfterDeliveringWhatLiesBeforeItAndIsDatedNoLaterThanItsReport() {
		String group = newGroup();
		List<Long> published = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			published.add(join(transport().publish(group, Transport.groupKey(group), bytes("record-" + i))));
		}
		long end = published.get(4) + 1;
		Recorder recorder = subscribe(group, 0);
		awaitUntil(() -> recorder.progress.stream().anyMatch((report) -> report.endOffset() >= end),
				"progress up to the end of the log");
		for (Progress report : recorder.progress) {
			assertThat(report.observedAt()).as("dated no later than reported").isLessThanOrEqualTo(report.calledAt());
			assertThat(report.deliveredBefore()).as("nothing delivered at or after the end it reports")
				.allMatch((offset) -> offset < report.endOffset());
			assertThat(report.deliveredBefore()).as("every record of the group before the end delivered first")
				.containsAll(published.stream().filter((offset) -> offset < report.endOffset()).toList());
		}
		// and it goes on confirming while the log is quiet: silence means cut off
		int reports = recorder.progress.size();
		awaitUntil(() -> recorder.progress.size() >= reports + 3, "repeated progress reports");
	}

	@Test
	void readingFromAnOffsetStartsThere() {
		String group = newGroup();
		List<Long> offsets = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			offsets.add(join(transport().publish(group, Transport.groupKey(group), bytes("record-" + i))));
		}
		Recorder recorder = subscribe(group, offsets.get(2));
		awaitUntil(() -> recorder.records.size() >= 3, "the last three records");
		assertThat(recorder.offsets()).containsExactlyElementsOf(offsets.subList(2, 5));
	}

	@Test
	void aClosedSubscriptionDeliversNothingMore() {
		String group = newGroup();
		Recorder recorder = subscribe(group, 0);
		awaitUntil(() -> !recorder.progress.isEmpty(), "a first progress report");
		Subscription subscription = this.subscriptions.remove(this.subscriptions.size() - 1);
		subscription.close();
		int calls = recorder.calls.get();
		long offset = join(transport().publish(group, Transport.groupKey(group), bytes("after close")));
		// a second subscriber sees it, so the first one had every chance to
		Recorder other = subscribe(group, 0);
		awaitUntil(() -> other.offsets().contains(offset), "the record delivered to a new subscriber");
		assertThat(recorder.records).isEmpty();
		assertThat(recorder.calls.get()).isEqualTo(calls);
	}

	@Test
	void subscribersOfOneGroupReadEveryRecordOfItWhateverOtherGroupsWrite() {
		String orders = newGroup();
		String payments = newGroup();
		List<Long> offsets = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			offsets.add(join(transport().publish(orders, Transport.groupKey(orders), bytes("o" + i))));
			join(transport().publish(payments, Transport.groupKey(payments), bytes("p" + i)));
		}
		Recorder recorder = subscribe(orders, 0);
		awaitUntil(() -> recorder.offsets().containsAll(offsets), "every record of the group");
		assertThat(recorder.records).filteredOn((record) -> Transport.isGroupRecord(orders, record.key()))
			.extracting(Delivered::text)
			.containsExactly("o0", "o1", "o2", "o3", "o4", "o5");
	}

	/** Returns a group name no other test uses. */
	protected static String newGroup() {
		return "g-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private Recorder subscribe(String group, long fromOffset) {
		Recorder recorder = new Recorder();
		this.subscriptions.add(transport().subscribe(group, fromOffset, PROGRESS, recorder));
		return recorder;
	}

	private static long join(CompletableFuture<Long> future) {
		return future.orTimeout(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).join();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static void awaitUntil(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited %s for %s", DEADLINE, what).isLessThan(deadline);
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/** A record as delivered. */
	record Delivered(long offset, String key, byte[] value) {

		String text() {
			return (this.value != null) ? new String(this.value, StandardCharsets.UTF_8) : null;
		}

	}

	/** A progress report: what it said, when, and what had been delivered before it. */
	record Progress(long endOffset, long observedAt, long calledAt, List<Long> deliveredBefore) {
	}

	/** Records every call, and whether two ever overlapped. */
	private final class Recorder implements LogListener {

		final List<Delivered> records = new CopyOnWriteArrayList<>();

		final List<Progress> progress = new CopyOnWriteArrayList<>();

		final AtomicInteger calls = new AtomicInteger();

		final AtomicInteger concurrentCalls = new AtomicInteger();

		private final AtomicInteger inside = new AtomicInteger();

		@Override
		public void onRecord(long offset, String key, byte[] value) {
			enter();
			this.records.add(new Delivered(offset, key, value));
			leave();
		}

		@Override
		public void onProgress(long endOffset, long observedAtNanos) {
			enter();
			this.progress.add(new Progress(endOffset, observedAtNanos, nanoTime(), offsets()));
			leave();
		}

		List<Long> offsets() {
			return this.records.stream().map(Delivered::offset).toList();
		}

		private void enter() {
			this.calls.incrementAndGet();
			if (this.inside.incrementAndGet() > 1) {
				this.concurrentCalls.incrementAndGet();
			}
		}

		private void leave() {
			this.inside.decrementAndGet();
		}

	}

}
