package dev.failover.core.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import dev.failover.core.spi.LogListener;
import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;

class InMemoryLogTest {

	private final VirtualClock clock = new VirtualClock();

	private final InMemoryLog log = new InMemoryLog(this.clock);

	private final Reader reader = new Reader();

	@Test
	void publishesAreOrderedAcknowledgedAndDelivered() {
		Transport a = this.log.connect("a");
		a.subscribe("orders", 0, Duration.ofMillis(100), this.reader);
		CompletableFuture<Long> first = a.publish("orders", "orders", bytes("one"));
		CompletableFuture<Long> second = a.publish("orders", "orders/a", bytes("two"));
		this.clock.advance(Duration.ofMillis(1));
		assertThat(first).isCompletedWithValue(0L);
		assertThat(second).isCompletedWithValue(1L);
		assertThat(this.reader.values).containsExactly("one", "two");
		assertThat(this.reader.lastEnd).isEqualTo(2);
	}

	@Test
	void readersSeeOnlyTheirGroupAndUnkeyedRecords() {
		Transport a = this.log.connect("a");
		a.subscribe("orders", 0, Duration.ofMillis(100), this.reader);
		this.log.append("billing", bytes("other group"));
		this.log.append("orders-eu", bytes("prefix is not a group"));
		this.log.append(null, bytes("garbage"));
		this.log.append("orders/b", bytes("member"));
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.reader.values).containsExactly("garbage", "member");
		assertThat(this.reader.offsets).containsExactly(2L, 3L);
		assertThat(this.reader.lastEnd).isEqualTo(4);
	}

	@Test
	void delayAppliesBothWays() {
		Transport a = this.log.connect("a");
		Transport b = this.log.connect("b");
		this.log.setDelay("a", Duration.ofMillis(10));
		this.log.setDelay("b", Duration.ofMillis(20));
		b.subscribe("orders", 0, Duration.ofMillis(100), this.reader);
		CompletableFuture<Long> ack = a.publish("orders", "orders", bytes("x"));
		// appended after a's 10 ms, acknowledged 10 ms later, read by b 20 ms after the append
		this.clock.advance(Duration.ofMillis(19));
		assertThat(ack).isNotDone();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(ack).isCompletedWithValue(0L);
		this.clock.advance(Duration.ofMillis(9));
		assertThat(this.reader.values).isEmpty();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.reader.values).containsExactly("x");
	}

	@Test
	void aPartitionedWriterFailsAfterTheRequestTimeoutUnlessHealedFirst() {
		Transport a = this.log.connect("a");
		this.log.setRequestTimeout(Duration.ofSeconds(1));
		this.log.partition("a");
		CompletableFuture<Long> lost = a.publish("orders", "orders", bytes("lost"));
		this.clock.advance(Duration.ofMillis(1500));
		assertThat(lost).isCompletedExceptionally();
		CompletableFuture<Long> late = a.publish("orders", "orders", bytes("late"));
		this.clock.advance(Duration.ofMillis(500));
		assertThat(late).isNotDone();
		this.log.heal("a");
		this.clock.advance(Duration.ofMillis(1));
		assertThat(late).isCompletedWithValue(0L);
		assertThat(this.log.entries()).extracting(InMemoryLog.Entry::writer).containsExactly("a");
	}

	@Test
	void aPartitionedReaderStopsHearingProgressAndCatchesUpWhenHealed() {
		Transport b = this.log.connect("b");
		b.subscribe("orders", 0, Duration.ofMillis(100), this.reader);
		this.clock.advance(Duration.ofMillis(150));
		int progressBefore = this.reader.progressCalls;
		this.log.partition("b");
		this.log.append("orders", bytes("while cut off"));
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.reader.progressCalls).isEqualTo(progressBefore);
		assertThat(this.reader.values).isEmpty();
		this.log.heal("b");
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.reader.values).containsExactly("while cut off");
		assertThat(this.reader.progressCalls).isGreaterThan(progressBefore);
	}

	@Test
	void droppedWritesFailWhileReadsContinue() {
		Transport a = this.log.connect("a");
		a.subscribe("orders", 0, Duration.ofMillis(100), this.reader);
		this.log.dropPublishes("a", true);
		CompletableFuture<Long> dropped = a.publish("orders", "orders", bytes("x"));
		this.log.append("orders", bytes("from elsewhere"));
		this.clock.advance(Duration.ofSeconds(3));
		assertThat(dropped).isCompletedExceptionally();
		assertThat(this.reader.values).containsExactly("from elsewhere");
		this.log.dropPublishes("a", false);
		CompletableFuture<Long> kept = a.publish("orders", "orders", bytes("y"));
		this.clock.advance(Duration.ofMillis(1));
		assertThat(kept).isCompletedWithValue(1L);
	}

	@Test
	void aPausedConnectionHoldsTrafficWithoutFailing() {
		Transport a = this.log.connect("a");
		a.subscribe("orders", 0, Duration.ofMillis(100), this.reader);
		this.log.pause("a");
		CompletableFuture<Long> held = a.publish("orders", "orders", bytes("held"));
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(held).isNotDone();
		assertThat(this.reader.values).isEmpty();
		this.log.resume("a");
		this.clock.advance(Duration.ofMillis(1));
		assertThat(held).isCompletedWithValue(0L);
		assertThat(this.reader.values).containsExactly("held");
	}

	@Test
	void aClosedSubscriptionHearsNothingMore() {
		Transport a = this.log.connect("a");
		Subscription subscription = a.subscribe("orders", 0, Duration.ofMillis(100), this.reader);
		this.clock.advance(Duration.ofMillis(1));
		subscription.close();
		subscription.close();
		int progress = this.reader.progressCalls;
		this.log.append("orders", bytes("late"));
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.reader.values).isEmpty();
		assertThat(this.reader.progressCalls).isEqualTo(progress);
	}

	@Test
	void readingCanStartAtAnOffset() {
		this.log.append("orders", bytes("0"));
		this.log.append("orders", bytes("1"));
		this.log.connect("a").subscribe("orders", 1, Duration.ofMillis(100), this.reader);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.reader.values).containsExactly("1");
		assertThat(this.log.size()).isEqualTo(2);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static final class Reader implements LogListener {

		final List<String> values = new ArrayList<>();

		final List<Long> offsets = new ArrayList<>();

		long lastEnd = -1;

		int progressCalls;

		@Override
		public void onRecord(long offset, String key, byte[] value) {
			this.offsets.add(offset);
			this.values.add(new String(value, StandardCharsets.UTF_8));
		}

		@Override
		public void onProgress(long endOffset, long observedAtNanos) {
			this.lastEnd = endOffset;
			this.progressCalls++;
		}

	}

}
