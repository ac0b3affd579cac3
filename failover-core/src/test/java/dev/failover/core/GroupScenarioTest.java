package dev.failover.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.failover.core.wire.DecodeResult;
import dev.failover.core.wire.ProtocolRecord;
import dev.failover.core.wire.RecordCodec;
import dev.failover.core.wire.RecordType;
import dev.failover.core.support.SimulatedGroup;
import dev.failover.core.testing.InMemoryLog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole groups of watchers on the in-memory log under virtual time: the failures users rely
 * on, each checked with the invariants of {@link SimulatedGroup} running after every task.
 */
class GroupScenarioTest {

	private static final FailoverConfig CONFIG = SimulatedGroup.FAST;

	private static final Duration INTERVAL = CONFIG.heartbeatInterval();

	private static final Duration TIMEOUT = CONFIG.heartbeatTimeout();

	private SimulatedGroup group = new SimulatedGroup(CONFIG);

	@AfterEach
	void checkInvariantsAndClose() {
		assertThat(this.group.violations()).isEmpty();
		this.group.close();
	}

	@Test
	void primaryCrashPromotesExactlyOneOfFiveSecondariesAboutOneTimeoutLater() {
		Watcher primary = settledPrimary(Duration.ofMillis(5300), "p", "s1", "s2", "s3", "s4", "s5");
		int changesBefore = this.group.changes().size();
		long crashedAt = this.group.clock.nanoTime();
		primary.closeAbruptly();

		assertThat(this.group.awaitPrimary(TIMEOUT.multipliedBy(2))).isTrue();
		Duration failover = Duration.ofNanos(this.group.clock.nanoTime() - crashedAt);
		assertThat(failover).as("about one timeout after the last heartbeat")
			.isBetween(TIMEOUT.minus(INTERVAL), TIMEOUT.plus(INTERVAL));
		this.group.advance(TIMEOUT.multipliedBy(3));
		List<RoleChange> after = this.group.changes().subList(changesBefore, this.group.changes().size());
		assertThat(after).as("exactly one promotion").hasSize(1);
		assertThat(after.get(0).cause()).isEqualTo(RoleChange.Cause.PRIMARY_SILENT);
		assertThat(after.get(0).epoch()).isEqualTo(2);
		assertThat(after.get(0).sinceLastHeartbeat()).isBetween(TIMEOUT, TIMEOUT.plus(INTERVAL));
		assertThat(after.get(0).reason()).contains("'" + primary.instanceId() + "'", "silent for");
		for (Watcher watcher : this.group.running()) {
			assertThat(watcher.epoch()).isEqualTo(2);
			assertThat(watcher.primaryId()).contains(after.get(0).instanceId());
		}
	}

	@Test
	void gracefulShutdownHandsOverWithinOneRoundTripOfTheSuccessor() {
		Watcher primary = settledPrimary(Duration.ofSeconds(3), "a", "b", "c");
		Duration oneWay = Duration.ofMillis(2);
		delayEveryone(oneWay);
		long started = this.group.clock.nanoTime();
		primary.shutdownAsync();
		assertThat(primary.isPrimary()).as("stops acting before announcing").isFalse();
		assertThat(this.group.awaitPrimaryOtherThan(primary.instanceId(), Duration.ofSeconds(1))).isTrue();
		Duration handover = Duration.ofNanos(this.group.clock.nanoTime() - started);
		// the shutdown notice grants the next epoch to the best secondary: it is primary as
		// soon as the notice has gone through the log to it, one pass, no claim, no timer
		assertThat(handover).isLessThanOrEqualTo(oneWay.multipliedBy(2).plusMillis(1));
		assertThat(primary.state()).isEqualTo(Watcher.State.CLOSED);
		this.group.advance(Duration.ofMillis(1));
		RoleChange promotion = this.group.changes().get(this.group.changes().size() - 1);
		assertThat(promotion.cause()).isEqualTo(RoleChange.Cause.PRIMARY_LEFT);
		assertThat(promotion.reason()).contains("handed over to this instance");
		assertThat(promotion.sinceLastHeartbeat()).isLessThanOrEqualTo(Duration.ofMillis(1));
	}

	@Test
	void withoutADemoteCallbackTheNoticeIsWrittenInTheTaskThatStopsThePrimaryActing() {
		RecordCodec codec = new RecordCodec(64 * 1024, null);
		List<String> notices = new CopyOnWriteArrayList<>();
		this.group.onPublish((id, value) -> {
			DecodeResult decoded = codec.decode(value);
			if (decoded.isAccepted() && decoded.record().type() == RecordType.SHUTDOWN) {
				notices.add(id);
			}
		});
		Watcher primary = settledPrimary(Duration.ofMillis(2500), "a", "b");
		long demotions = primary.stats().demotions();
		List<Integer> noticesWhenDemoted = new ArrayList<>();
		this.group.clock.onEachTask(() -> {
			if (noticesWhenDemoted.isEmpty() && primary.stats().demotions() > demotions) {
				noticesWhenDemoted.add(notices.size());
			}
		});
		primary.switchover(theOther(primary));
		this.group.advance(Duration.ZERO);
		// no later task of the shutdown (or anything else) comes first: the notice is on its way
		assertThat(noticesWhenDemoted).as("notices handed to the transport when the demotion's task ended")
			.containsExactly(1);
		assertThat(notices).containsExactly(primary.instanceId());
	}

	@Test
	void aLeavingPrimaryStopsOnlyOnceItHasSeenItsSuccessorTakeOver() {
		Watcher primary = settledPrimary(Duration.ofSeconds(3), "a", "b", "c");
		Duration oneWay = Duration.ofMillis(2);
		delayEveryone(oneWay);
		CompletableFuture<Void> left = primary.shutdownAsync();
		assertThat(this.group.awaitPrimaryOtherThan(primary.instanceId(), Duration.ofSeconds(1))).isTrue();
		assertThat(left).as("the successor's first heartbeat has not reached the leaving primary yet").isNotDone();
		long promotedAt = this.group.clock.nanoTime();
		while (!left.isDone() && this.group.clock.nanoTime() - promotedAt < INTERVAL.toNanos()) {
			this.group.advance(Duration.ofMillis(1));
		}
		assertThat(left).isDone();
		// the successor's heartbeat goes through the log to it, then it deletes its member record
		assertThat(Duration.ofNanos(this.group.clock.nanoTime() - promotedAt))
			.as("a pass through the log and a write, not a timer")
			.isLessThanOrEqualTo(oneWay.multipliedBy(4).plusMillis(2));
	}

	@Test
	void aLeavingPrimaryWhoseSuccessorNeverTakesOverStopsAfterOneInterval() {
		Watcher primary = settledPrimary(Duration.ofSeconds(2), "a", "b");
		String successor = theOther(primary);
		// the successor dies just before the handover, while the primary still counts it alive
		this.group.get(successor).closeAbruptly();
		long started = this.group.clock.nanoTime();
		CompletableFuture<Void> left = primary.shutdownAsync();
		this.group.advance(INTERVAL.minusMillis(50));
		assertThat(left).as("still waiting for the successor").isNotDone();
		this.group.advance(Duration.ofMillis(100));
		assertThat(left).isDone();
		assertThat(Duration.ofNanos(this.group.clock.nanoTime() - started)).isLessThanOrEqualTo(INTERVAL.plusMillis(50));
	}

	@Test
	void aGrantedSuccessorThatIsGoneIsReplacedWellBeforeATimeout() {
		Watcher primary = settledPrimary(Duration.ofSeconds(2), "a", "b", "c");
		String successor = primary.instanceId().equals("b") ? "c" : "b";
		// the successor dies just before the handover, while the primary still counts it alive
		this.group.get(successor).closeAbruptly();
		long started = this.group.clock.nanoTime();
		primary.switchover(successor);
		assertThat(primary.isPrimary()).isFalse();
		// the old primary may well be the one that takes the role back
		assertThat(this.group.awaitPrimary(TIMEOUT.multipliedBy(2))).isTrue();
		Duration took = Duration.ofNanos(this.group.clock.nanoTime() - started);
		// the others wait out the longest grant lease (one and a half intervals) and the margin
		Duration window = INTERVAL.multipliedBy(3).dividedBy(2).plus(CONFIG.leaseMargin());
		assertThat(took).isBetween(window, window.plus(INTERVAL)).isLessThan(TIMEOUT);
		assertThat(this.group.primary().instanceId()).isNotEqualTo(successor);
	}

	@Test
	void aSuccessorWhoseViewOfTheLogIsStaleDeclinesTheGrant() {
		Watcher primary = settledPrimary(Duration.ofSeconds(2), "a", "b");
		String successor = theOther(primary);
		// the successor reads with a long delay: when the grant reaches it, its last
		// confirmed view of the log is older than the grant lease
		this.group.log.setDelay(successor, Duration.ofMillis(1500));
		primary.switchover(successor);
		this.group.advance(Duration.ofSeconds(10));
		assertThat(this.group.primaries()).hasSize(1);
		assertThat(this.group.changes()).filteredOn(RoleChange::isPromotion)
			.last()
			.satisfies((change) -> assertThat(change.reason()).doesNotContain("handed over to this instance"));
	}

	@Test
	void aSecondaryConfirmsItsViewOfTheLogByReadingItsOwnRecords() {
		Watcher primary = settledPrimary(Duration.ofSeconds(2), "a", "b");
		Watcher secondary = this.group.get(theOther(primary));
		// the transport never confirms the secondary's progress again: its presence records,
		// written and read back once per interval, are all that keeps its view fresh
		this.group.log.withholdProgress(secondary.instanceId(), true);
		this.group.advance(TIMEOUT.multipliedBy(2));
		assertThat(secondary.status().logReachable()).isTrue();
		long crashedAt = this.group.clock.nanoTime();
		primary.closeAbruptly();
		assertThat(this.group.awaitPrimary(TIMEOUT.multipliedBy(2))).isTrue();
		assertThat(this.group.primary()).isSameAs(secondary);
		assertThat(Duration.ofNanos(this.group.clock.nanoTime() - crashedAt)).isLessThanOrEqualTo(TIMEOUT.plus(INTERVAL));
	}

	@Test
	void aGrantIsDatedFromTheSuccessorsOwnRecordsWhenTheTransportConfirmsNothing() {
		Watcher primary = settledPrimary(Duration.ofSeconds(2), "a", "b");
		String successor = theOther(primary);
		this.group.log.withholdProgress(successor, true);
		this.group.advance(TIMEOUT.multipliedBy(2));
		primary.switchover(successor);
		assertThat(this.group.awaitPrimaryOtherThan(primary.instanceId(), Duration.ofMillis(100))).isTrue();
		this.group.advance(TIMEOUT);
		assertThat(this.group.primaries()).extracting(Watcher::instanceId).containsExactly(successor);
		assertThat(this.group.changes()).filteredOn(RoleChange::isPromotion)
			.last()
			.satisfies((change) -> assertThat(change.reason()).contains("handed over to this instance"));
	}

	@Test
	void slowHeartbeatsWithinTheLeaseCauseNoFailover() {
		this.group.startAll("a", "b", "c");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		Watcher primary = this.group.primary();
		int changes = this.group.changes().size();
		// every heartbeat takes 500 ms to reach the log and 500 ms more to come back: the lease
		// holds as long as a round trip plus an interval fits in it (1 s + 1 s < 2.4 s)
		this.group.log.setDelay(primary.instanceId(), Duration.ofMillis(500));
		this.group.advance(Duration.ofSeconds(30));
		assertThat(primary.isPrimary()).isTrue();
		assertThat(this.group.changes()).hasSize(changes);
	}

	@Test
	void heartbeatsSlowerThanTheLeaseMakeThePrimaryStepDownBeforeAnotherTakesOver() {
		this.group.startAll("a", "b", "c");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		Watcher primary = this.group.primary();
		this.group.log.setDelay(primary.instanceId(), Duration.ofMillis(800));
		assertThat(this.group.awaitPrimaryOtherThan(primary.instanceId(), Duration.ofSeconds(30))).isTrue();
		this.group.advance(Duration.ofMillis(1));
		assertThat(this.group.changes()).extracting(RoleChange::cause).contains(RoleChange.Cause.LEASE_EXPIRED);
	}

	@Test
	void aPartitionedPrimaryStepsDownBeforeAnyClaimCanBeValid() {
		Watcher primary = settledPrimary(Duration.ofMillis(2500), "a", "b", "c");
		long[] stoppedAt = { -1 };
		long[] successorAt = { -1 };
		this.group.clock.onEachTask(() -> {
			if (stoppedAt[0] < 0 && !primary.isPrimary()) {
				stoppedAt[0] = this.group.clock.nanoTime();
			}
			Watcher now = this.group.primary();
			if (successorAt[0] < 0 && now != null && now != primary) {
				successorAt[0] = this.group.clock.nanoTime();
			}
		});
		long cutAt = this.group.clock.nanoTime();
		this.group.log.partition(primary.instanceId());
		assertThat(this.group.awaitPrimaryOtherThan(primary.instanceId(), TIMEOUT.multipliedBy(2))).isTrue();
		assertThat(stoppedAt[0]).isPositive().isLessThan(successorAt[0]);
		assertThat(Duration.ofNanos(stoppedAt[0] - cutAt)).isLessThanOrEqualTo(CONFIG.lease());
		this.group.advance(Duration.ofMillis(1));
		assertThat(this.group.changes()).filteredOn(RoleChange::isDemotion)
			.singleElement()
			.satisfies((change) -> {
				assertThat(change.cause()).isEqualTo(RoleChange.Cause.LEASE_EXPIRED);
				assertThat(change.reason()).contains("lease expired");
			});

		// heal: the old primary rejoins as a secondary of the new epoch
		this.group.log.heal(primary.instanceId());
		this.group.advance(TIMEOUT.multipliedBy(3));
		assertThat(primary.isPrimary()).isFalse();
		assertThat(primary.epoch()).isEqualTo(this.group.primary().epoch()).isEqualTo(2);
	}

	@Test
	void aClaimReadBackAfterItsLeaseIsHandedBackEvenIfARetryAskedForTheSameEpoch() {
		// found by ElectionProperties: a slow primary switches over to itself, claims epoch 2
		// on silence, gives up waiting, claims epoch 2 again; the first claim wins, and must
		// not borrow the second one's younger send time for its lease
		SimulatedGroup slow = new SimulatedGroup("orders", CONFIG, 0);
		try {
			slow.log.setRequestTimeout(Duration.ofSeconds(1));
			slow.startAll("i0", "i1");
			slow.advance(SimulatedGroup.FIRST_ELECTION);
			Watcher primary = slow.primary();
			slow.log.setDelay(primary.instanceId(), Duration.ofMillis(1600));
			primary.switchover(primary.instanceId());
			slow.advance(Duration.ofSeconds(20));
			assertThat(slow.violations()).isEmpty();
			assertThat(slow.primaries()).hasSize(1);
		}
		finally {
			slow.close();
		}
	}

	@Test
	void aSecondaryCutOffFromTheLogNeverClaims() {
		this.group.startAll("a", "b");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		Watcher secondary = this.group.running().stream().filter((w) -> !w.isPrimary()).findFirst().orElseThrow();
		long claims = secondary.stats().claimsSent();
		this.group.log.partition(secondary.instanceId());
		this.group.advance(TIMEOUT.multipliedBy(5));
		assertThat(secondary.stats().claimsSent()).isEqualTo(claims);
		assertThat(secondary.status().logReachable()).isFalse();
		this.group.log.heal(secondary.instanceId());
		this.group.advance(TIMEOUT.multipliedBy(2));
		assertThat(this.group.primaries()).hasSize(1).doesNotContain(secondary);
	}

	@Test
	void aPausedPrimaryKnowsAtOnceWhenItResumesThatItIsNoLongerPrimary() {
		this.group.startAll("a", "b", "c");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		Watcher primary = this.group.primary();
		this.group.pauseProcess(primary.instanceId());
		this.group.advance(TIMEOUT.multipliedBy(2));
		assertThat(this.group.primaries()).as("another took over during the pause").hasSize(1).doesNotContain(primary);
		// the instant the process resumes, before any of its tasks has run
		this.group.resumeProcess(primary.instanceId());
		assertThat(primary.isPrimary()).isFalse();
		assertThat(primary.role()).isEqualTo(Role.SECONDARY);
		this.group.advance(INTERVAL);
		assertThat(primary.isPrimary()).isFalse();
		assertThat(primary.epoch()).isEqualTo(2);
		assertThat(this.group.changes()).filteredOn(RoleChange::isDemotion)
			.extracting(RoleChange::cause)
			.containsAnyOf(RoleChange.Cause.LEASE_EXPIRED, RoleChange.Cause.SUPERSEDED);
		// the demotion is dated when the lease ended, during the pause, before the successor
		RoleChange demotion = this.group.changes().stream().filter(RoleChange::isDemotion).findFirst().orElseThrow();
		RoleChange successor = this.group.changes()
			.stream()
			.filter((change) -> change.isPromotion() && change.epoch() == 2)
			.findFirst()
			.orElseThrow();
		assertThat(demotion.at()).isBefore(successor.at());
	}

	@Test
	void aSwitchoverRequestedJustBeforeALapseEndsAsTheLapseWithoutAGrant() {
		Watcher primary = settledPrimary(Duration.ofMillis(2500), "a", "b", "c");
		int changes = this.group.changes().size();
		this.group.pauseProcess(primary.instanceId());
		// queued on the paused loop while the lease still holds; it runs only after the lapse
		CompletableFuture<Boolean> switchover = primary.switchover(theOther(primary));
		this.group.advance(CONFIG.lease());
		assertThat(primary.isPrimary()).isFalse();
		this.group.resumeProcess(primary.instanceId());
		this.group.advance(Duration.ZERO);

		assertThat(switchover).as("nothing was handed over: the epoch was no longer held").isCompletedWithValue(false);
		assertThat(this.group.changes().subList(changes, this.group.changes().size()))
			.filteredOn(RoleChange::isDemotion)
			.singleElement()
			.extracting(RoleChange::cause)
			.isEqualTo(RoleChange.Cause.LEASE_EXPIRED);
	}

	@Test
	void aRestartedOldPrimaryJoinsAsSecondary() {
		this.group.startAll("a", "b", "c");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		Watcher primary = this.group.primary();
		primary.closeAbruptly();
		assertThat(this.group.awaitPrimary(TIMEOUT.multipliedBy(2))).isTrue();
		Watcher restarted = this.group.start(primary.instanceId());
		this.group.advance(TIMEOUT.multipliedBy(3));
		assertThat(restarted.isPrimary()).isFalse();
		assertThat(restarted.epoch()).isEqualTo(2);
		assertThat(restarted.primaryId()).contains(this.group.primary().instanceId());
	}

	@Test
	void aRestartedPrimaryNeverAssumesItIsStillPrimary() {
		this.group.startAll("a", "b");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		Watcher primary = this.group.primary();
		this.group.advance(Duration.ofSeconds(2));
		primary.closeAbruptly();
		long restartedAt = this.group.clock.nanoTime();
		Watcher restarted = this.group.start(primary.instanceId());
		// the log still names it primary, but it waits out a timeout of silence like anybody
		assertThat(this.group.awaitPrimary(TIMEOUT.multipliedBy(2))).isTrue();
		assertThat(Duration.ofNanos(this.group.clock.nanoTime() - restartedAt)).isGreaterThanOrEqualTo(
				TIMEOUT.minus(INTERVAL));
		assertThat(this.group.primary().epoch()).isEqualTo(2);
		this.group.advance(Duration.ofMillis(1));
		assertThat(restarted.epoch()).isEqualTo(2);
	}

	@Test
	void anEmptyLogWaitsOneTimeoutAndAShutdownLetsAJoiningInstanceClaimAtOnce() {
		Watcher first = this.group.start("a");
		// an empty log may be a topic replaced under a primary that has not noticed yet
		this.group.advance(TIMEOUT.minusMillis(100));
		assertThat(first.isPrimary()).as("empty log, before a timeout").isFalse();
		assertThat(this.group.awaitPrimary(Duration.ofMillis(200))).as("empty log, after a timeout").isTrue();
		first.close();
		this.group.advance(Duration.ofSeconds(10));
		long joinedAt = this.group.clock.nanoTime();
		this.group.start("b");
		assertThat(this.group.awaitPrimary(Duration.ofMillis(200))).as("last record is a shutdown").isTrue();
		assertThat(Duration.ofNanos(this.group.clock.nanoTime() - joinedAt)).isLessThan(INTERVAL);
		assertThat(this.group.primary().epoch()).isEqualTo(2);
	}

	@Test
	void thePreferredPrimaryClaimsFirstAndPriorityOrdersTheOthers() {
		FailoverConfig secondary = CONFIG.toBuilder().role(Role.SECONDARY).build();
		this.group.start("s-low", secondary.toBuilder().priority(1).build());
		this.group.start("s-high", secondary.toBuilder().priority(9).build());
		this.group.start("p", CONFIG);
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		assertThat(this.group.primary().instanceId()).isEqualTo("p");
		this.group.advance(Duration.ofSeconds(3));
		this.group.get("p").closeAbruptly();
		assertThat(this.group.awaitPrimary(TIMEOUT.multipliedBy(2))).isTrue();
		assertThat(this.group.primary().instanceId()).isEqualTo("s-high");
	}

	@Test
	void twoGroupsOnOneLogDoNotInterfere() {
		this.group.startAll("a", "b");
		List<Watcher> billing = new ArrayList<>();
		for (String id : List.of("x", "y")) {
			Watcher watcher = Watcher.builder()
				.group("billing")
				.instanceId(id)
				.transport(this.group.log.connect(id))
				.config(CONFIG)
				.clock(this.group.clock)
				.random(new SplittableRandom(id.hashCode()))
				.build();
			watcher.start();
			billing.add(watcher);
		}
		this.group.advance(SimulatedGroup.FIRST_ELECTION);
		Watcher billingPrimary = billing.stream().filter(Watcher::isPrimary).findFirst().orElseThrow();
		assertThat(this.group.primaries()).hasSize(1);
		this.group.primary().closeAbruptly();
		this.group.advance(TIMEOUT.multipliedBy(3));
		assertThat(this.group.primaries()).hasSize(1);
		assertThat(this.group.primary().epoch()).isEqualTo(2);
		assertThat(billingPrimary.isPrimary()).isTrue();
		assertThat(billingPrimary.epoch()).isEqualTo(1);
		assertThat(billing).allSatisfy((w) -> assertThat(w.stats().rejectedTotal()).isZero());
		assertThat(billingPrimary.members()).extracting(Member::instanceId).containsExactly("x", "y");
		billing.forEach(Watcher::closeAbruptly);
	}

	@Test
	void garbageOnTheLogChangesNothingAndIsCounted() {
		Watcher primary = settledPrimary(Duration.ofSeconds(2), "a", "b", "c");
		int changes = this.group.changes().size();
		List<InMemoryLog.Entry> history = this.group.log.entries();
		Random random = new Random(7);
		for (int i = 0; i < 200; i++) {
			byte[] junk = new byte[random.nextInt(300)];
			random.nextBytes(junk);
			this.group.log.append((i % 2 == 0) ? null : "orders", junk);
			String json = "{\"v\":1,\"type\":\"HEARTBEAT\",\"group\":\"orders\",\"epoch\":" + i;
			this.group.log.append("orders", json.getBytes(StandardCharsets.UTF_8));
			this.group.log.append("orders", "{\"v\":7,\"type\":\"CLAIM\"}".getBytes(StandardCharsets.UTF_8));
			this.group.advance(Duration.ofMillis(50));
		}
		byte[] huge = new byte[1024 * 1024];
		this.group.log.append("orders", huge);
		// replays of old records: the first claim and heartbeats of epoch 1 again
		List<InMemoryLog.Entry> election = history.stream().filter((entry) -> "orders".equals(entry.key())).toList();
		for (InMemoryLog.Entry old : election.subList(0, Math.min(election.size(), 10))) {
			this.group.log.append(old.key(), old.value());
		}
		this.group.advance(TIMEOUT.multipliedBy(3));
		assertThat(primary.isPrimary()).isTrue();
		assertThat(this.group.changes()).hasSize(changes);
		for (Watcher watcher : this.group.running()) {
			WatcherStats stats = watcher.stats();
			assertThat(stats.rejected(RejectReason.MALFORMED)).isGreaterThanOrEqualTo(400);
			assertThat(stats.rejected(RejectReason.UNSUPPORTED_VERSION)).isEqualTo(200);
			assertThat(stats.rejected(RejectReason.OVERSIZED)).isEqualTo(1);
			assertThat(stats.rejected(RejectReason.REPLAYED)).isPositive();
			assertThat(watcher.epoch()).isEqualTo(1);
		}
	}

	@Test
	void withSigningForgedRecordsAreRejected() {
		this.group.close();
		FailoverConfig signed = CONFIG.toBuilder().signingKey("the-group-shares-this-secret").build();
		this.group = new SimulatedGroup(signed);
		this.group.startAll("a", "b");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		Watcher primary = this.group.primary();
		forgeHeartbeat(new RecordCodec(64 * 1024, null), 99);
		forgeHeartbeat(new RecordCodec(64 * 1024, "a-guessed-wrong-secret-value"), 100);
		this.group.advance(TIMEOUT.multipliedBy(2));
		assertThat(primary.isPrimary()).isTrue();
		assertThat(primary.epoch()).isEqualTo(1);
		assertThat(primary.stats().rejected(RejectReason.UNSIGNED)).isEqualTo(1);
		assertThat(primary.stats().rejected(RejectReason.BAD_SIGNATURE)).isEqualTo(1);
	}

	@Test
	void withoutSigningAnyWriterOfTheTopicIsTrusted() {
		// the documented trust model: without a signing key, a forged heartbeat with a higher
		// epoch is indistinguishable from a real one, and the primary steps down for it
		this.group.startAll("a", "b");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		Watcher primary = this.group.primary();
		forgeHeartbeat(new RecordCodec(64 * 1024, null), 99);
		this.group.advance(Duration.ofMillis(10));
		assertThat(primary.isPrimary()).isFalse();
		assertThat(primary.epoch()).isEqualTo(99);
	}

	private void forgeHeartbeat(RecordCodec codec, long epoch) {
		ProtocolRecord forged = new ProtocolRecord(RecordType.HEARTBEAT, "orders", "mallory", "beef", epoch, 1, -1,
				this.group.clock.instant(), null, null, Role.PRIMARY, 0, true, false);
		this.group.log.append("orders", codec.encode(forged));
	}

	/** Sets the one-way latency between every instance started and the log. */
	private void delayEveryone(Duration oneWay) {
		for (Watcher watcher : this.group.running()) {
			this.group.log.setDelay(watcher.instanceId(), oneWay);
		}
	}

	/** In a group of 'a' and 'b', the one that is not the given watcher. */
	private static String theOther(Watcher watcher) {
		return watcher.instanceId().equals("a") ? "b" : "a";
	}

	/** Starts the instances, waits for a primary, lets the group settle, and returns the primary. */
	private Watcher settledPrimary(Duration settle, String... ids) {
		this.group.startAll(ids);
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		this.group.advance(settle);
		return this.group.primary();
	}

}
