package dev.failover.core;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.failover.core.wire.ProtocolRecord;
import dev.failover.core.wire.RecordCodec;
import dev.failover.core.wire.RecordType;
import dev.failover.core.support.SimulatedGroup;
import dev.failover.core.spi.EventLoop;
import dev.failover.core.spi.FailoverClock;
import dev.failover.core.spi.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The holes of the log as production Kafka keeps it (compaction, replaced and truncated
 * topics, members with other settings or keys, suspended clocks, cloned processes), each
 * as a schedule under virtual time that broke the guarantee before its fix. The invariants
 * (never two primaries, epochs only up) are checked after every simulated task.
 */
class LogSafetyScenarioTest {

	private static final FailoverConfig CONFIG = SimulatedGroup.FAST;

	private static final Duration TIMEOUT = CONFIG.heartbeatTimeout();

	private SimulatedGroup group = new SimulatedGroup(CONFIG);

	@AfterEach
	void checkInvariantsAndClose() {
		assertThat(this.group.violations()).as("invariants; changes %s", this.group.changes()).isEmpty();
		this.group.close();
	}

	@Test
	void aHandoverToAMemberThatJoinedAfterCompactionMeansTheSameEpochToEveryone() {
		this.group.startAll("a", "b");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		Watcher a = this.group.primary();
		// a claim that loses (the primary was alive after its base) raises the highest epoch
		ProtocolRecord losing = new ProtocolRecord(RecordType.CLAIM, "orders", "c", "c0ffee", 2, 1, -1,
				Instant.now(), "late", null, Role.SECONDARY, 0, true, false);
		this.group.log.append(Transport.groupKey("orders"), new RecordCodec(64 * 1024, null).encode(losing));
		this.group.advance(TIMEOUT.multipliedBy(3));
		// the cleaner removes it; only what each key wrote last stays
		int removed = this.group.log.compact(this.group.log.size());
		assertThat(removed).isPositive();
		Watcher d = this.group.start("d");
		this.group.advance(CONFIG.heartbeatInterval().multipliedBy(3));
		a.switchover("d");
		assertThat(this.group.awaitPrimaryOtherThan(a.instanceId(), Duration.ofSeconds(1))).isTrue();
		assertThat(this.group.primary()).isSameAs(d);
		this.group.advance(TIMEOUT.multipliedBy(3));
		assertThat(d.isPrimary()).isTrue();
		assertThat(d.epoch()).isEqualTo(3);
		assertThat(this.group.get("b").epoch()).isEqualTo(3);
	}

	/**
	 * Found by ElectionProperties: a primary whose claim a compacted view judged won (the
	 * heartbeats of the old primary after its base were compacted away) reads the old
	 * primary's late notice of an older epoch, stamped with the higher epoch it saw lose.
	 * The fold follows the older holder, as it must; the member that acted at the higher
	 * epoch keeps it as taken, and never reports a lower one.
	 */
	@Test
	void aPrimaryThatReadsAnOlderHoldersLateNoticeKeepsItsEpochAsTaken() {
		this.group.startAll("a", "b");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		Watcher old = this.group.primary();
		old.closeAbruptly();
		assertThat(this.group.awaitPrimary(TIMEOUT.multipliedBy(3))).isTrue();
		Watcher successor = this.group.primary();
		assertThat(successor.epoch()).isEqualTo(2);
		// the old holder gave epoch 1 back after it had seen epoch 2 claimed (and, in its
		// fold, lost)
		ProtocolRecord notice = new ProtocolRecord(RecordType.SHUTDOWN, "orders", old.instanceId(), "01d5e551", 1, 0,
				-1, this.group.clock.instant(), "lease expired", null, Role.PRIMARY, 0, true, false)
			.with(2, 0, TIMEOUT.toMillis(), CONFIG.heartbeatInterval().toMillis());
		this.group.log.append(Transport.groupKey("orders"), new RecordCodec(64 * 1024, null).encode(notice));
		this.group.advance(Duration.ofMillis(10));
		assertThat(successor.epoch()).isGreaterThanOrEqualTo(2);
		assertThat(this.group.awaitPrimary(TIMEOUT.multipliedBy(3))).isTrue();
		assertThat(this.group.primary().epoch()).isGreaterThanOrEqualTo(3);
	}

	@Test
	void aSecondaryWithAShorterTimeoutWaitsOutTheLongerLeaseOfThePrimary() {
		FailoverConfig slow = CONFIG.toBuilder()
			.heartbeatInterval(Duration.ofSeconds(5))
			.heartbeatTimeout(Duration.ofSeconds(15))
			.build();
		Watcher old = this.group.start("old", slow);
		assertThat(this.group.awaitPrimary(slow.heartbeatTimeout().plusSeconds(2))).isTrue();
		Watcher fast = this.group.start("fast", CONFIG);
		this.group.advance(Duration.ofSeconds(6));
		// cut off, the old primary keeps its 12 s lease; the 1 s / 3 s secondary must wait it out
		this.group.log.partition("old");
		this.group.advance(Duration.ofSeconds(10));
		assertThat(fast.isPrimary()).isFalse();
		assertThat(this.group.awaitPrimaryOtherThan("old", Duration.ofSeconds(15))).isTrue();
		assertThat(old.isPrimary()).isFalse();
	}

	@Test
	void aMemberThatTurnsSigningOnDoesNotTakeTheUnsignedGroupForEmpty() {
		Watcher unsigned = this.group.start("a", CONFIG);
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		Watcher signed = this.group.start("b", CONFIG.toBuilder().signingKey("the-group-shares-this-secret").build());
		this.group.advance(TIMEOUT.multipliedBy(3));
		assertThat(unsigned.isPrimary()).isTrue();
		assertThat(signed.isPrimary()).isFalse();
		// when the unsigned primary is gone, the signed member takes over after a silence
		unsigned.closeAbruptly();
		assertThat(this.group.awaitPrimary(TIMEOUT.multipliedBy(3))).isTrue();
		assertThat(signed.isPrimary()).isTrue();
	}

	@Test
	void aKeyIsRotatedByRollingRestartsThroughTheAcceptedKeys() {
		String oldKey = "the-old-secret-of-the-group";
		String newKey = "the-new-secret-of-the-group";
		FailoverConfig old = CONFIG.toBuilder().signingKey(oldKey).build();
		FailoverConfig accepting = old.toBuilder().acceptedSigningKeys(java.util.List.of(newKey)).build();
		FailoverConfig rotated = CONFIG.toBuilder()
			.signingKey(newKey)
			.acceptedSigningKeys(java.util.List.of(oldKey))
			.build();
		this.group.start("a", old);
		this.group.start("b", old);
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		// roll: every member accepts the new key, then every member signs with it
		for (FailoverConfig step : java.util.List.of(accepting, rotated)) {
			for (String id : java.util.List.of("a", "b")) {
				this.group.get(id).shutdownAsync();
				this.group.advance(CONFIG.heartbeatInterval());
				this.group.start(id, step);
				this.group.advance(CONFIG.heartbeatInterval().multipliedBy(3));
				assertThat(this.group.primaries()).as("a primary throughout the roll").hasSize(1);
			}
		}
		assertThat(this.group.primary().stats().rejected(dev.failover.core.RejectReason.BAD_SIGNATURE))
			.isZero();
	}

	@Test
	void signingIsTurnedOnByRollingRestartsWithoutATimeoutOfSilence() {
		String key = "the-first-secret-of-the-group";
		FailoverConfig accepting = CONFIG.toBuilder().acceptedSigningKeys(java.util.List.of(key)).build();
		FailoverConfig signingAndAcceptingUnsigned = CONFIG.toBuilder().signingKey(key).acceptUnsigned(true).build();
		FailoverConfig signing = CONFIG.toBuilder().signingKey(key).build();
		this.group.start("a", CONFIG);
		this.group.start("b", CONFIG);
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		for (FailoverConfig step : java.util.List.of(accepting, signingAndAcceptingUnsigned, signing)) {
			for (String id : java.util.List.of("a", "b")) {
				boolean wasPrimary = this.group.get(id).isPrimary();
				this.group.get(id).shutdownAsync();
				if (wasPrimary) {
					// the handover reaches the successor at once, whatever the two sign with
					assertThat(this.group.awaitPrimaryOtherThan(id, CONFIG.heartbeatInterval())).as("handover from %s", id)
						.isTrue();
				}
				this.group.advance(CONFIG.heartbeatInterval());
				this.group.start(id, step);
				this.group.advance(CONFIG.heartbeatInterval().multipliedBy(3));
				assertThat(this.group.primaries()).as("a primary after restarting %s", id).hasSize(1);
			}
		}
	}

	@Test
	void aReplacedTopicFailsClosedAndEpochsKeepRising() {
		this.group.startAll("a", "b", "c");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		Watcher first = this.group.primary();
		first.stepDown();
		assertThat(this.group.awaitPrimaryOtherThan(first.instanceId(), Duration.ofSeconds(2))).isTrue();
		long epochBefore = this.group.primary().epoch();
		this.group.log.replace(true);
		this.group.advance(Duration.ZERO);
		assertThat(this.group.primaries()).as("the primary steps down at once").isEmpty();
		// nobody claims before a full timeout of silence
		this.group.advance(TIMEOUT.minusMillis(100));
		assertThat(this.group.primaries()).isEmpty();
		assertThat(this.group.awaitPrimary(TIMEOUT.multipliedBy(2))).isTrue();
		assertThat(this.group.primary().epoch()).isGreaterThan(epochBefore);
		// a member started afterwards learns the epochs from the others' records
		Watcher late = this.group.start("d");
		this.group.advance(CONFIG.heartbeatInterval().multipliedBy(2));
		assertThat(late.epoch()).isEqualTo(this.group.primary().epoch());
	}

	@Test
	void aTopicReplacedWithoutNoticeIsRecognisedByItsOffsetsGoingBack() {
		this.group.startAll("a", "b");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		long epochBefore = this.group.primary().epoch();
		this.group.advance(Duration.ofSeconds(2));
		this.group.log.replace(false);
		this.group.advance(CONFIG.heartbeatInterval().multipliedBy(2));
		assertThat(this.group.primaries()).as("the primary steps down once it sees offsets go back").isEmpty();
		assertThat(this.group.awaitPrimary(TIMEOUT.multipliedBy(2))).isTrue();
		assertThat(this.group.primary().epoch()).isGreaterThan(epochBefore);
	}

	@Test
	void aTruncatedLogFailsClosed() {
		this.group.startAll("a", "b");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		this.group.advance(Duration.ofSeconds(2));
		long epochBefore = this.group.primary().epoch();
		this.group.log.truncate(this.group.log.size() - 2, false);
		this.group.advance(CONFIG.heartbeatInterval().multipliedBy(2));
		assertThat(this.group.primaries()).isEmpty();
		assertThat(this.group.awaitPrimary(TIMEOUT.multipliedBy(2))).isTrue();
		assertThat(this.group.primary().epoch()).isGreaterThanOrEqualTo(epochBefore);
	}

	@Test
	void aLeaseEndsWhenTheWallClockRunsAheadOfTheMonotonicClock() {
		SuspendableClock clock = new SuspendableClock(this.group.clock);
		Watcher a = Watcher.builder()
			.group("orders")
			.instanceId("a")
			.transport(this.group.log.connect("a"))
			.config(CONFIG)
			.clock(clock)
			.build();
		a.start();
		assertThat(this.group.clock.advanceUntil(a::isPrimary, SimulatedGroup.FIRST_ELECTION)).isTrue();
		// the system slept for 10 s: the wall clock moved, the monotonic clock did not
		clock.suspended(Duration.ofSeconds(10));
		assertThat(a.isPrimary()).isFalse();
		this.group.advance(Duration.ofMillis(1));
		assertThat(a.stats().demotions()).isEqualTo(1);
		a.closeAbruptly();
	}

	@Test
	void twoProcessesRestoredFromOneSnapshotDrawDifferentSessions() {
		// the same id and the same random state at start, as after restoring one image twice
		this.group.customize((builder) -> builder.random(new SplittableRandom(7)));
		this.group.start("twin");
		this.group.log.partition("twin");
		Watcher first = this.group.get("twin");
		SimulatedGroup other = this.group;
		Watcher second = Watcher.builder()
			.group("orders")
			.instanceId("twin")
			.transport(other.log.connect("twin-2"))
			.config(CONFIG)
			.clock(other.clock)
			.random(new SplittableRandom(7))
			.build();
		this.group.log.heal("twin");
		java.util.concurrent.atomic.AtomicBoolean both = new java.util.concurrent.atomic.AtomicBoolean();
		this.group.clock.onEachTask(() -> both.compareAndSet(false, first.isPrimary() && second.isPrimary()));
		second.start();
		this.group.advance(TIMEOUT.multipliedBy(3));
		assertThat(both).as("both twins primary at once").isFalse();
		assertThat(first.isPrimary() || second.isPrimary()).isTrue();
		second.closeAbruptly();
	}

	/**
	 * A clock whose monotonic time can stop while the wall clock goes on, as over a system
	 * suspend.
	 */
	private static final class SuspendableClock implements FailoverClock {

		private final FailoverClock delegate;

		private final AtomicLong lost = new AtomicLong();

		SuspendableClock(FailoverClock delegate) {
			this.delegate = delegate;
		}

		void suspended(Duration duration) {
			this.lost.addAndGet(duration.toNanos());
		}

		@Override
		public long nanoTime() {
			return this.delegate.nanoTime();
		}

		@Override
		public Instant instant() {
			return this.delegate.instant().plusNanos(this.lost.get());
		}

		@Override
		public EventLoop newEventLoop(String name) {
			return this.delegate.newEventLoop(name);
		}

	}

}
