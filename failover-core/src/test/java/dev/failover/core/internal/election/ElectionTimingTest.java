package dev.failover.core.internal.election;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.failover.core.Role;
import dev.failover.core.RoleChange;
import dev.failover.core.RoleChange.Cause;
import dev.failover.core.wire.ProtocolRecord;
import dev.failover.core.wire.RecordType;

import static dev.failover.core.internal.election.ElectionHarness.claim;
import static dev.failover.core.internal.election.ElectionHarness.heartbeat;
import static dev.failover.core.internal.election.ElectionHarness.notice;
import static dev.failover.core.internal.election.ElectionHarness.preferring;
import static dev.failover.core.internal.election.ElectionHarness.shutdown;
import static dev.failover.core.internal.election.ElectionHarness.standby;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timing rules of docs/PROTOCOL.md ("Timing"), one test each, against the election's
 * one entry point: events in, effects out, time given by the test. Interval 1 s, timeout
 * 3 s, margin 600 ms: lease 2.4 s, freshness 2 s, grant lease 1.5 s, handover wait 2.1 s.
 */
class ElectionTimingTest {

	private static final Duration MS = Duration.ofMillis(1);

	private final ElectionHarness member = new ElectionHarness("a");

	/** Joins an empty log and lets the first claim (a full timeout later) win. */
	private ElectionHarness primaryAtEpochOne() {
		this.member.join().readBackOwn().live(Duration.ofMillis(3100));
		assertThat(this.member.phase()).isEqualTo(Phase.PRIMARY);
		return this.member;
	}

	private static Duration ms(long millis) {
		return Duration.ofMillis(millis);
	}

	@Nested
	class Claims {

		@Test
		void onAnEmptyLogTheFirstClaimWaitsAFullTimeoutAfterJoining() {
			ElectionHarness a = ElectionTimingTest.this.member.join().readBackOwn();
			a.live(ms(2950));
			assertThat(a.published(RecordType.CLAIM)).isEmpty();
			a.live(ms(100));
			assertThat(a.published(RecordType.CLAIM)).singleElement()
				.satisfies((claim) -> assertThat(claim.epoch()).isEqualTo(1));
			assertThat(a.announced()).singleElement().satisfies((change) -> {
				assertThat(change.isPromotion()).isTrue();
				assertThat(change.cause()).isEqualTo(Cause.NO_PRIMARY);
			});
		}

		@Test
		void aSecondaryClaimsAfterATimeoutOfSilenceFromThePrimary() {
			ElectionHarness a = ElectionTimingTest.this.member.join().readBackOwn();
			a.read(claim("b", 1, -1));
			a.live(ms(1500)).read(heartbeat("b", 1, 1));
			a.live(ms(2950));
			assertThat(a.published(RecordType.CLAIM)).isEmpty();
			a.live(ms(100));
			assertThat(a.published(RecordType.CLAIM)).singleElement()
				.satisfies((claim) -> assertThat(claim.epoch()).isEqualTo(2));
		}

		@Test
		void aPrimaryThatAnnouncedALongerLeaseIsWaitedOut() {
			ElectionHarness a = ElectionTimingTest.this.member.join().readBackOwn();
			// a primary at 5 s / 15 s during a rolling change: lease 12 s
			a.read(claim("b", 1, -1).with(0, 0, 12_000, 5_000));
			a.live(ms(12_550));
			assertThat(a.published(RecordType.CLAIM)).isEmpty();
			a.live(ms(100));
			assertThat(a.published(RecordType.CLAIM)).hasSize(1);
		}

		@Test
		void aVacantGroupIsClaimedAtOnce() {
			ElectionHarness a = ElectionTimingTest.this.member.join().readBackOwn();
			a.read(claim("b", 1, -1)).live(ms(500));
			a.read(shutdown("b", 1, null, null));
			assertThat(a.published(a.last, RecordType.CLAIM)).singleElement()
				.satisfies((claim) -> assertThat(claim.epoch()).isEqualTo(2));
		}

		@Test
		void aPreferredSecondaryLetsPreferredPrimariesClaimAVacantGroupFirst() {
			ElectionHarness a = new ElectionHarness("a",
					ElectionHarness.CONFIG.toBuilder().role(Role.SECONDARY).build(), false, false).join().readBackOwn();
			a.read(claim("b", 1, -1)).live(ms(500));
			a.read(shutdown("b", 1, null, null)).live(ms(950));
			assertThat(a.published(RecordType.CLAIM)).isEmpty();
			a.live(ms(100));
			assertThat(a.published(RecordType.CLAIM)).hasSize(1);
		}

		@Test
		void aGroupLeftByAPreferredPrimaryIsClaimedAtOnceEvenByAPreferredSecondary() {
			ElectionHarness a = new ElectionHarness("a",
					ElectionHarness.CONFIG.toBuilder().role(Role.SECONDARY).build(), false, false).join().readBackOwn();
			a.read(preferring(Role.PRIMARY, claim("b", 1, -1))).live(ms(500));
			a.read(preferring(Role.PRIMARY, notice("b", 1)));
			assertThat(a.published(a.last, RecordType.CLAIM)).hasSize(1);
		}

		@Test
		void lessPreferredCandidatesClaimLaterByTheStagger() {
			ElectionHarness a = new ElectionHarness("a",
					ElectionHarness.CONFIG.toBuilder().claimStagger(ms(200)).build(), false, false).join().readBackOwn();
			// '0b' ranks before 'a' (same role and priority, an id that sorts first); 'c' is the primary
			a.read(claim("c", 1, -1)).live(ms(500));
			a.read(preferring(Role.PRIMARY, standby("0b", 1, 1))).read(shutdown("c", 1, null, null)).live(ms(150));
			assertThat(a.published(RecordType.CLAIM)).isEmpty();
			a.live(ms(100));
			assertThat(a.published(RecordType.CLAIM)).hasSize(1);
		}

		@Test
		void aMemberThatCannotConfirmItsViewOfTheLogNeverClaims() {
			ElectionHarness a = ElectionTimingTest.this.member.join();
			// its own records are never read back: it may be the one cut off
			for (int i = 0; i < 100; i++) {
				a.advance(ms(100));
				a.loseOwn();
			}
			assertThat(a.published(RecordType.CLAIM)).isEmpty();
			// the next presence record read back confirms the view: it claims at once
			a.advance(ms(1000)).readBackOwn();
			assertThat(a.published(a.last, RecordType.CLAIM)).hasSize(1);
		}

		@Test
		void aClaimNotReadBackWithinATimeoutIsGivenUpAndBackedOff() {
			ElectionHarness a = ElectionTimingTest.this.member.join().readBackOwn();
			a.live(ms(2950));
			a.advance(ms(100));
			assertThat(a.phase()).isEqualTo(Phase.CLAIMING);
			a.loseOwn();
			a.advance(ms(3001));
			assertThat(a.phase()).isEqualTo(Phase.SECONDARY);
			a.readBackOwn();
			// backs off at least claim-backoff-min (100 ms) before the next claim
			assertThat(a.published(a.last, RecordType.CLAIM)).isEmpty();
			a.live(ms(1100));
			assertThat(a.published(RecordType.CLAIM)).hasSize(2);
		}

		@Test
		void aRecordThatCannotBeVerifiedRestartsTheSilenceAndItsEpochsAreTaken() {
			ElectionHarness a = ElectionTimingTest.this.member.join().readBackOwn();
			a.live(ms(2000));
			a.readUnverified(heartbeat("x", 5, 1));
			a.live(ms(2950));
			assertThat(a.published(RecordType.CLAIM)).isEmpty();
			a.live(ms(100));
			assertThat(a.published(RecordType.CLAIM)).singleElement()
				.satisfies((claim) -> assertThat(claim.epoch()).isEqualTo(6));
		}

	}

	@Nested
	class Leases {

		@Test
		void theLeaseRunsFromTheSendOfTheLatestHeartbeatReadBack() {
			ElectionHarness a = primaryAtEpochOne();
			// heartbeats read back late still renew from their send
			long sentAt = a.nowNanos();
			a.advance(ms(1000));
			List<ProtocolRecord> heartbeats = a.published(a.last, RecordType.HEARTBEAT);
			assertThat(heartbeats).isNotEmpty();
			a.advance(ms(500)).readBackOwn();
			assertThat(a.election.snapshot().leaseExpiry()).isBetween(sentAt + ms(2400).toNanos(),
					sentAt + ms(3400).toNanos());
			assertThat(a.isPrimaryNow()).isTrue();
		}

		@Test
		void aPrimaryWhoseHeartbeatsAreNotReadBackStepsDownWhenItsLeaseEnds() {
			ElectionHarness a = primaryAtEpochOne();
			long leaseEnd = a.election.snapshot().leaseExpiry();
			for (int i = 0; i < 50; i++) {
				a.advance(ms(100));
				a.loseOwn();
			}
			RoleChange demotion = a.announced().get(1);
			assertThat(demotion.isDemotion()).isTrue();
			assertThat(demotion.cause()).isEqualTo(Cause.LEASE_EXPIRED);
			assertThat(a.phase()).isEqualTo(Phase.SECONDARY);
			assertThat(a.published(RecordType.SHUTDOWN)).singleElement().satisfies((notice) -> {
				assertThat(notice.reason()).isEqualTo("lease expired");
				assertThat(notice.successor()).isNull();
			});
			assertThat(leaseEnd).isLessThanOrEqualTo(a.nowNanos());
		}

		@Test
		void aLapseIsFinalEvenIfAHeartbeatSentBeforeItIsReadBackAfterIt() {
			ElectionHarness a = primaryAtEpochOne();
			a.advance(ms(1000));
			// the loop pauses past the lease with the renewing read-back still queued
			a.jump(ms(3000));
			a.readBackOwn();
			assertThat(a.phase()).isEqualTo(Phase.SECONDARY);
			assertThat(a.isPrimaryNow()).isFalse();
			assertThat(a.announced()).extracting(RoleChange::cause).containsExactly(Cause.NO_PRIMARY,
					Cause.LEASE_EXPIRED);
		}

		@Test
		void aForwardJumpOfTheWallClockBeyondTheMarginEndsTheLease() {
			ElectionHarness a = primaryAtEpochOne();
			a.stepWallClock(ms(700));
			assertThat(a.isPrimaryNow()).as("at once, for a caller").isFalse();
			// and the member steps down at its next event: a failover (to itself, here), never two primaries
			a.live(ms(1100));
			RoleChange demotion = a.announced().get(1);
			assertThat(demotion.cause()).isEqualTo(Cause.LEASE_EXPIRED);
			assertThat(demotion.reason()).contains("wall clock ran");
		}

		@Test
		void aBackwardStepOfTheWallClockChangesNothing() {
			ElectionHarness a = primaryAtEpochOne();
			a.stepWallClock(ms(-5000));
			a.live(ms(5000));
			assertThat(a.phase()).isEqualTo(Phase.PRIMARY);
			assertThat(a.isPrimaryNow()).isTrue();
		}

	}

	@Nested
	class Grants {

		@Test
		void aSuccessorTakesAGrantWithALeaseFromItsLastConfirmedView() {
			ElectionHarness a = ElectionTimingTest.this.member.join().readBackOwn();
			a.read(claim("b", 1, -1)).live(ms(900));
			long confirmedAt = a.nowNanos() - ms(900).toNanos();
			a.advance(ms(100));
			a.read(shutdown("b", 1, "a", ElectionHarness.SESSION));
			assertThat(a.phase()).isEqualTo(Phase.PRIMARY);
			assertThat(a.published(a.last, RecordType.HEARTBEAT)).singleElement()
				.satisfies((heartbeat) -> assertThat(heartbeat.epoch()).isEqualTo(2));
			assertThat(a.election.snapshot().leaseExpiry()).isGreaterThanOrEqualTo(confirmedAt + ms(1500).toNanos())
				.isLessThanOrEqualTo(a.nowNanos() + ms(1500).toNanos());
		}

		@Test
		void aSuccessorTellsItsListenersBeforeItLogsOrWritesAnything() {
			ElectionHarness a = ElectionTimingTest.this.member.join().readBackOwn();
			a.read(claim("b", 1, -1)).live(ms(900));
			a.read(shutdown("b", 1, "a", ElectionHarness.SESSION));
			List<Effect> effects = a.last;
			assertThat(a.announced(effects)).singleElement().satisfies((change) -> assertThat(change.isPromotion()).isTrue());
			int announce = indexOf(effects, Effect.Announce.class);
			assertThat(effects.subList(0, announce)).allSatisfy(
					(effect) -> assertThat(effect).isInstanceOf(Effect.PublishState.class));
			// the first heartbeat of the epoch is waited for: it may skip a new topic lookup
			assertThat(ElectionHarness.publishes(effects))
				.singleElement()
				.satisfies((publish) -> assertThat(publish.awaited()).isTrue());
			a.readBackOwn().live(ms(1100));
			assertThat(ElectionHarness.publishes(a.effects))
				.filteredOn((publish) -> publish.record().type() == RecordType.HEARTBEAT && publish.record().seq() > 1)
				.isNotEmpty()
				.allSatisfy((publish) -> assertThat(publish.awaited()).isFalse());
		}

		@Test
		void claimsAndNoticesAreAwaitedAndPresenceRecordsAreNot() {
			ElectionHarness a = ElectionTimingTest.this.member.join().readBackOwn();
			a.live(ms(3100));
			assertThat(ElectionHarness.publishes(a.effects))
				.anySatisfy((publish) -> assertThat(publish.record().type()).isEqualTo(RecordType.STANDBY))
				.anySatisfy((publish) -> assertThat(publish.record().type()).isEqualTo(RecordType.CLAIM))
				.allSatisfy((publish) -> assertThat(publish.awaited())
					.isEqualTo(publish.record().type() != RecordType.STANDBY));
			a.handle(new Event.StepDown(1, null));
			assertThat(ElectionHarness.publishes(a.last))
				.filteredOn((publish) -> publish.record().type() == RecordType.SHUTDOWN)
				.singleElement()
				.satisfies((publish) -> assertThat(publish.awaited()).isTrue());
		}

		@Test
		void aSuccessorWhoseViewIsTooOldToDateALeaseHandsTheEpochBack() {
			ElectionHarness a = ElectionTimingTest.this.member.join().readBackOwn();
			a.read(claim("b", 1, -1));
			// nothing of its own read back for longer than the grant lease
			for (int i = 0; i < 16; i++) {
				a.advance(ms(100));
				a.loseOwn();
			}
			a.read(shutdown("b", 1, "a", ElectionHarness.SESSION));
			assertThat(a.phase()).isEqualTo(Phase.SECONDARY);
			assertThat(a.published(a.last, RecordType.SHUTDOWN)).singleElement().satisfies((notice) -> {
				assertThat(notice.epoch()).isEqualTo(2);
				assertThat(notice.reason()).isEqualTo("handover grant declined");
			});
		}

		@Test
		void theOthersWaitTheGrantLeaseAndTheMarginForAGrantedSuccessor() {
			ElectionHarness a = ElectionTimingTest.this.member.join().readBackOwn();
			a.read(claim("b", 1, -1)).live(ms(500));
			a.read(shutdown("b", 1, "c", "c-s")).live(ms(2050));
			assertThat(a.published(RecordType.CLAIM)).isEmpty();
			a.live(ms(100));
			assertThat(a.published(RecordType.CLAIM)).singleElement()
				.satisfies((claim) -> assertThat(claim.epoch()).isEqualTo(3));
		}

	}

	@Nested
	class HandingOver {

		@Test
		void aPrimaryStopsActingBeforeItWritesItsNoticeAndTellsTheListenersAfter() {
			ElectionHarness a = primaryAtEpochOne();
			a.read(standby("c", 1, 1));
			List<Effect> effects = a.handle(new Event.StepDown(1, null));
			assertThat(a.phase()).isEqualTo(Phase.SECONDARY);
			assertThat(effects).anySatisfy((effect) -> assertThat(effect).isInstanceOf(Effect.PublishState.class));
			int notice = indexOf(effects, Effect.Publish.class);
			int announce = indexOf(effects, Effect.Announce.class);
			assertThat(notice).isNotNegative().isLessThan(announce);
			ProtocolRecord shutdown = ((Effect.Publish) effects.get(notice)).record();
			assertThat(shutdown.successor()).isEqualTo("c");
			assertThat(shutdown.grantEpoch()).isEqualTo(2);
			a.readBackOwn();
			assertThat(a.last).contains(new Effect.Complete(1, true, null));
		}

		@Test
		void withADemoteCallbackTheNoticeWaitsForItAtMostOneInterval() {
			ElectionHarness a = new ElectionHarness("a", ElectionHarness.CONFIG, false, true).join().readBackOwn();
			a.live(ms(3100));
			a.handle(new Event.StepDown(1, null));
			assertThat(a.last).anySatisfy((effect) -> assertThat(effect).isInstanceOf(Effect.RunDemote.class));
			assertThat(a.published(a.last, RecordType.SHUTDOWN)).isEmpty();
			a.advance(ms(990));
			assertThat(a.published(RecordType.SHUTDOWN)).isEmpty();
			a.advance(ms(20));
			assertThat(a.published(RecordType.SHUTDOWN)).hasSize(1);
		}

		@Test
		void theNoticeIsWrittenOnceTheDemoteCallbackReturns() {
			ElectionHarness a = new ElectionHarness("a", ElectionHarness.CONFIG, false, true).join().readBackOwn();
			a.live(ms(3100));
			a.handle(new Event.StepDown(1, null));
			Effect.RunDemote demote = (Effect.RunDemote) a.last.get(indexOf(a.last, Effect.RunDemote.class));
			a.advance(ms(10));
			a.handle(new Event.DemoteDone(demote.token()));
			assertThat(a.published(a.last, RecordType.SHUTDOWN)).hasSize(1);
		}

		@Test
		void aClosingPrimaryWaitsToSeeItsSuccessorTakeOverThenDeletesItsPresenceAndTerminates() {
			ElectionHarness a = primaryAtEpochOne();
			a.read(standby("c", 1, 1));
			a.handle(new Event.Close(9));
			assertThat(a.published(a.last, RecordType.SHUTDOWN)).singleElement()
				.satisfies((notice) -> assertThat(notice.leaving()).isTrue());
			a.readBackOwn();
			assertThat(a.unread()).isEmpty();
			a.advance(ms(5));
			a.read(heartbeat("c", 2, 1));
			assertThat(a.unread()).containsExactly((ProtocolRecord) null);
			a.readBackOwn();
			assertThat(a.last).contains(new Effect.Terminate(), new Effect.Complete(9, false, null));
			assertThat(a.phase()).isEqualTo(Phase.CLOSED);
		}

		@Test
		void aClosingPrimaryLeavesAfterOneIntervalIfItsSuccessorDoesNotTakeOver() {
			ElectionHarness a = primaryAtEpochOne();
			a.read(standby("c", 1, 1));
			a.handle(new Event.Close(9));
			a.readBackOwn();
			a.advance(ms(990));
			assertThat(a.unread()).isEmpty();
			a.advance(ms(20));
			assertThat(a.unread()).containsExactly((ProtocolRecord) null);
		}

		@Test
		void aMemberThatCannotReachTheLogLeavesAtOnceWithoutWritingWhatWouldNeverBeAcknowledged() {
			ElectionHarness a = ElectionTimingTest.this.member.join().readBackOwn();
			a.read(claim("b", 1, -1));
			// nothing of its own read back for longer than the freshness window
			for (int i = 0; i < 25; i++) {
				a.advance(ms(100));
				a.loseOwn();
			}
			a.handle(new Event.Close(9));
			assertThat(a.published(a.last, RecordType.STANDBY)).isEmpty();
			assertThat(a.unread()).isEmpty();
			assertThat(a.last).contains(new Effect.Terminate(), new Effect.Complete(9, false, null));
		}

		@Test
		void aStepDownRequestedAfterTheLeaseLapsedEndsAsALapseWithoutAGrant() {
			ElectionHarness a = primaryAtEpochOne();
			a.read(standby("c", 1, 1));
			a.jump(ms(3000));
			a.handle(new Event.StepDown(1, "c"));
			assertThat(a.announced(a.last)).singleElement()
				.satisfies((change) -> assertThat(change.cause()).isEqualTo(Cause.LEASE_EXPIRED));
			assertThat(a.published(a.last, RecordType.SHUTDOWN)).singleElement()
				.satisfies((notice) -> assertThat(notice.successor()).isNull());
			assertThat(a.last).contains(new Effect.Complete(1, false, null));
		}

	}

	@Nested
	class ReplacedLogs {

		@Test
		void aPrimaryWhoseLogWasReplacedStopsAtOnceWithoutANoticeAndNobodyClaimsForATimeout() {
			ElectionHarness a = primaryAtEpochOne();
			a.handle(new Event.LogReplaced("the topic id changed"));
			assertThat(a.announced(a.last)).singleElement()
				.satisfies((change) -> assertThat(change.cause()).isEqualTo(Cause.LOG_REPLACED));
			assertThat(a.published(a.last, RecordType.SHUTDOWN)).isEmpty();
			assertThat(a.published(a.last, RecordType.STANDBY)).singleElement()
				.satisfies((presence) -> assertThat(presence.maxEpoch()).isEqualTo(1));
			assertThat(a.phase()).isEqualTo(Phase.JOINING);
			a.handle(new Event.Progress(a.offset(), a.nowNanos()));
			a.live(ms(2950));
			assertThat(a.published(RecordType.CLAIM)).hasSize(1);
			a.live(ms(100));
			assertThat(a.published(RecordType.CLAIM)).last()
				.satisfies((claim) -> assertThat(claim.epoch()).isEqualTo(2));
		}

		@Test
		void anOffsetNotAboveOneAlreadyReadIsAnotherLog() {
			ElectionHarness a = primaryAtEpochOne();
			a.readAt(0, heartbeat("b", 7, 1));
			assertThat(a.announced(a.last)).singleElement()
				.satisfies((change) -> assertThat(change.cause()).isEqualTo(Cause.LOG_REPLACED));
			assertThat(a.phase()).isEqualTo(Phase.JOINING);
		}

		@Test
		void aLogThatEndsBelowWhatWasReadIsTruncated() {
			ElectionHarness a = primaryAtEpochOne();
			a.handle(new Event.Progress(1, a.nowNanos()));
			assertThat(a.announced(a.last)).singleElement()
				.satisfies((change) -> assertThat(change.cause()).isEqualTo(Cause.LOG_REPLACED));
			assertThat(a.isPrimaryNow()).isFalse();
		}

	}

	@Nested
	class ProcessProbes {

		private final ElectionHarness a = new ElectionHarness("a", ElectionHarness.CONFIG, false, false, "10.0.0.1:7001");

		private final ProtocolRecord claimOfB = claim("b", 1, -1).withProbe("10.0.0.2:7002");

		@Test
		void aMemberAnnouncesItsProbeEndpointInItsClaimsAndHeartbeats() {
			this.a.join().readBackOwn().live(ms(4500));
			assertThat(this.a.phase()).isEqualTo(Phase.PRIMARY);
			assertThat(this.a.published(RecordType.CLAIM)).extracting(ProtocolRecord::probe).containsOnly("10.0.0.1:7001");
			assertThat(this.a.published(RecordType.HEARTBEAT)).isNotEmpty()
				.extracting(ProtocolRecord::probe)
				.containsOnly("10.0.0.1:7001");
			assertThat(this.a.published(RecordType.STANDBY)).extracting(ProtocolRecord::probe).containsOnly((String) null);
		}

		@Test
		void aSecondaryWatchesThePrimarysEndpointAndClaimsAtOnceOnEvidenceThatItsProcessIsGone() {
			this.a.join().readBackOwn();
			this.a.read(this.claimOfB);
			assertThat(this.a.last).contains(new Effect.WatchProbe("10.0.0.2:7002", "b", "b-s"));
			this.a.live(ms(500));
			this.a.handle(new Event.ProcessGone("b", "b-s"));
			assertThat(this.a.published(this.a.last, RecordType.CLAIM)).singleElement()
				.satisfies((claim) -> assertThat(claim.epoch()).isEqualTo(2));
			this.a.readBackOwn();
			assertThat(this.a.announced()).singleElement().satisfies((change) -> {
				assertThat(change.cause()).isEqualTo(Cause.PRIMARY_GONE);
				assertThat(change.isPromotion()).isTrue();
			});
			// primary now: it watches nobody
			assertThat(this.a.effects).contains(new Effect.WatchProbe(null, null, null));
		}

		@Test
		void evidenceAboutAnotherSessionOfThePrimaryChangesNothing() {
			this.a.join().readBackOwn();
			this.a.read(this.claimOfB).live(ms(500));
			this.a.handle(new Event.ProcessGone("b", "an-earlier-life"));
			this.a.live(ms(2000));
			assertThat(this.a.published(RecordType.CLAIM)).isEmpty();
		}

		@Test
		void evidenceDoesNotLetAMemberThatCannotConfirmItsViewClaim() {
			this.a.join().readBackOwn();
			this.a.read(this.claimOfB);
			for (int i = 0; i < 25; i++) {
				this.a.advance(ms(100));
				this.a.loseOwn();
			}
			this.a.handle(new Event.ProcessGone("b", "b-s"));
			assertThat(this.a.published(RecordType.CLAIM)).isEmpty();
			// its next presence record read back confirms the view: it claims then
			this.a.advance(ms(1000)).readBackOwn();
			assertThat(this.a.published(RecordType.CLAIM)).hasSize(1);
		}

		@Test
		void aPrimaryWhoseHeartbeatsStillArriveAfterItsProcessDiedIsReplacedAllTheSame() {
			this.a.join().readBackOwn();
			this.a.read(this.claimOfB).live(ms(500));
			this.a.handle(new Event.ProcessGone("b", "b-s"));
			// a heartbeat it had in flight when it died lands before the claim: the claim
			// loses (it was based before it), and the next one wins without waiting a timeout
			this.a.read(heartbeat("b", 1, 1).withProbe("10.0.0.2:7002"));
			this.a.readBackOwn();
			this.a.live(ms(1500));
			assertThat(this.a.phase()).isEqualTo(Phase.PRIMARY);
			assertThat(this.a.published(RecordType.CLAIM)).hasSizeGreaterThanOrEqualTo(1);
		}

		@Test
		void withTheProbeOffNobodyIsWatched() {
			ElectionHarness off = new ElectionHarness("c");
			off.join().readBackOwn().read(this.claimOfB).live(ms(2000));
			assertThat(off.effects).noneMatch(Effect.WatchProbe.class::isInstance);
		}

	}

	private static int indexOf(List<Effect> effects, Class<?> type) {
		for (int i = 0; i < effects.size(); i++) {
			if (type.isInstance(effects.get(i))) {
				return i;
			}
		}
		return -1;
	}

	@Test
	void everyPhaseCanOnlyMoveAlongTheTable() {
		assertThat(Phase.OFFLINE.canMoveTo(Phase.PRIMARY)).isFalse();
		assertThat(Phase.SECONDARY.canMoveTo(Phase.PRIMARY)).isFalse();
		assertThat(Phase.PROMOTING.canMoveTo(Phase.PRIMARY)).isTrue();
		assertThat(Phase.PRIMARY.canMoveTo(Phase.JOINING)).isFalse();
		assertThat(Phase.CLOSED.canMoveTo(Phase.JOINING)).isFalse();
		for (Phase phase : Phase.values()) {
			assertThat(phase.canMoveTo(Phase.CLOSED)).isEqualTo(phase != Phase.CLOSED);
		}
	}

}
