package dev.failover.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.failover.core.wire.RecordCodec;
import dev.failover.core.wire.RecordType;
import dev.failover.core.spi.FailoverClock;
import dev.failover.core.testing.InMemoryLog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watchers on real threads and the system clock: what virtual time cannot show, such as a
 * listener that blocks its thread.
 */
class RealTimeWatcherTest {

	private static final FailoverConfig CONFIG = FailoverConfig.builder()
		.enabled(true)
		.heartbeatInterval(Duration.ofMillis(100))
		.heartbeatTimeout(Duration.ofMillis(500))
		.build();

	@Test
	void aSlowOrThrowingListenerNeverDelaysHeartbeats() throws Exception {
		InMemoryLog log = new InMemoryLog(FailoverClock.system());
		CountDownLatch promoted = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Watcher watcher = Watcher.builder()
			.group("orders")
			.instanceId("a")
			.transport(log.connect("a"))
			.config(CONFIG)
			.listener((change) -> {
				throw new IllegalStateException("listener bug");
			})
			.listener((change) -> {
				promoted.countDown();
				try {
					// blocks the callback thread far longer than the lease
					release.await(5, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			})
			.build();
		try {
			watcher.start();
			assertThat(promoted.await(5, TimeUnit.SECONDS)).isTrue();
			int before = heartbeats(log).size();
			long start = System.nanoTime();
			while (System.nanoTime() - start < Duration.ofMillis(1500).toNanos()) {
				assertThat(watcher.isPrimary()).as("lease renewed while the listener blocks").isTrue();
				Thread.sleep(20);
			}
			int sent = heartbeats(log).size() - before;
			assertThat(sent).as("about 15 heartbeats in 1.5 s").isGreaterThanOrEqualTo(10);
		}
		finally {
			release.countDown();
			watcher.close();
			log.close();
		}
	}

	@Test
	void closeAnnouncesTheShutdownAndStopsTheThreads() throws Exception {
		InMemoryLog log = new InMemoryLog(FailoverClock.system());
		Watcher watcher = Watcher.builder()
			.group("orders")
			.instanceId("closer")
			.transport(log.connect("closer"))
			.config(CONFIG)
			.build();
		watcher.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (!watcher.isPrimary() && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(watcher.isPrimary()).isTrue();
		assertThat(threadsNamed("closer")).isNotEmpty().allMatch(Thread::isDaemon);
		long started = System.nanoTime();
		watcher.close();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		assertThat(watcher.isPrimary()).isFalse();
		List<InMemoryLog.Entry> entries = log.entries();
		assertThat(entries.get(entries.size() - 2))
			.satisfies((entry) -> assertThat(new String(entry.value(), StandardCharsets.UTF_8))
				.contains("\"type\":\"SHUTDOWN\"", "\"leaving\":true"));
		assertThat(entries.get(entries.size() - 1)).as("tombstone of its presence")
			.satisfies((entry) -> {
				assertThat(entry.key()).isEqualTo("orders/closer");
				assertThat(entry.value()).isNull();
			});
		deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (!threadsNamed("closer").isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(threadsNamed("closer")).as("no thread left behind").isEmpty();
		log.close();
	}

	private static List<Thread> threadsNamed(String part) {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().contains(part)).toList();
	}

	private static List<InMemoryLog.Entry> heartbeats(InMemoryLog log) {
		RecordCodec codec = new RecordCodec(64 * 1024, null);
		return log.entries()
			.stream()
			.filter((entry) -> codec.decode(entry.value()).isAccepted()
					&& codec.decode(entry.value()).record().type() == RecordType.HEARTBEAT)
			.toList();
	}

	/**
	 * With the process probe on (TCP on 127.0.0.1), a primary that crashes is replaced on the
	 * evidence of its closed endpoint, not after the timeout: here a 10 s timeout, so that a
	 * promotion within a few seconds can only come from the evidence.
	 */
	@Test
	void aCrashedPrimaryIsReplacedOnTheEvidenceOfItsClosedProbeEndpoint() throws Exception {
		FailoverConfig probed = FailoverConfig.builder()
			.enabled(true)
			.heartbeatInterval(Duration.ofMillis(500))
			.heartbeatTimeout(Duration.ofSeconds(10))
			.processProbe(true)
			.processProbeHost("127.0.0.1")
			.build();
		InMemoryLog log = new InMemoryLog(FailoverClock.system());
		java.util.List<RoleChange> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
		Watcher a = Watcher.builder().group("orders").instanceId("a").transport(log.connect("a"))
			.config(probed.toBuilder().role(Role.PRIMARY).build()).listener(changes::add).build();
		Watcher b = Watcher.builder().group("orders").instanceId("b").transport(log.connect("b"))
			.config(probed.toBuilder().role(Role.SECONDARY).build()).listener(changes::add).build();
		try {
			a.start();
			b.start();
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!a.isPrimary() && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(a.isPrimary()).isTrue();
			// b watches a's endpoint once it has read a heartbeat naming it
			Thread.sleep(1500);
			long crashed = System.nanoTime();
			a.closeAbruptly();
			while (!b.isPrimary() && System.nanoTime() - crashed < Duration.ofSeconds(8).toNanos()) {
				Thread.sleep(5);
			}
			assertThat(b.isPrimary()).as("b primary within 8 s of a crash, with a 10 s timeout").isTrue();
			// the state shows the promotion before the listeners, on the callback thread, hear of it
			long heardBy = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (changes.stream().noneMatch((change) -> change.instanceId().equals("b") && change.isPromotion())
					&& System.nanoTime() < heardBy) {
				Thread.sleep(5);
			}
			assertThat(changes).filteredOn((change) -> change.instanceId().equals("b") && change.isPromotion())
				.singleElement()
				.satisfies((change) -> assertThat(change.cause()).isEqualTo(RoleChange.Cause.PRIMARY_GONE));
		}
		finally {
			a.closeAbruptly();
			b.close();
			log.close();
		}
	}

}
