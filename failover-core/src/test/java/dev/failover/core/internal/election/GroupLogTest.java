package dev.failover.core.internal.election;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.failover.core.Role;
import dev.failover.core.internal.election.GroupLog.Outcome;
import dev.failover.core.wire.ProtocolRecord;
import dev.failover.core.wire.RecordType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class GroupLogTest {

	private final GroupLog log = new GroupLog("orders");

	private long offset;

	@Test
	void firstClaimOnAnEmptyLogWins() {
		assertThat(this.log.isEmpty()).isTrue();
		assertThat(apply(claim("a", "s1", 1, -1))).isEqualTo(Outcome.CLAIM_WON);
		assertThat(this.log.epoch()).isEqualTo(1);
		assertThat(this.log.primaryId()).isEqualTo("a");
		assertThat(this.log.hasPrimary()).isTrue();
	}

	@Test
	void secondClaimForTheSameEpochLoses() {
		apply(claim("a", "s1", 1, -1));
		assertThat(apply(claim("b", "s2", 1, -1))).isEqualTo(Outcome.CLAIM_LOST);
		assertThat(this.log.primaryId()).isEqualTo("a");
	}

	@Test
	void claimWithAHeartbeatAfterItsBaseLoses() {
		apply(claim("a", "s1", 1, -1));
		long based = this.offset - 1;
		apply(heartbeat("a", "s1", 1, 1));
		assertThat(apply(claim("b", "s2", 2, based))).isEqualTo(Outcome.CLAIM_LOST);
		assertThat(this.log.epoch()).isEqualTo(1);
		// every claim raises the bar: the next one must ask for epoch 3
		assertThat(this.log.maxEpoch()).isEqualTo(2);
		assertThat(apply(claim("c", "s3", 2, this.offset - 1))).isEqualTo(Outcome.CLAIM_LOST);
		assertThat(apply(claim("c", "s3", 3, this.offset - 1))).isEqualTo(Outcome.CLAIM_WON);
		assertThat(this.log.primaryId()).isEqualTo("c");
	}

	@Test
	void claimThatSawTheLastHeartbeatWins() {
		apply(claim("a", "s1", 1, -1));
		apply(heartbeat("a", "s1", 1, 1));
		assertThat(apply(claim("b", "s2", 2, this.offset - 1))).isEqualTo(Outcome.CLAIM_WON);
		assertThat(this.log.epoch()).isEqualTo(2);
	}

	@Test
	void heartbeatsOfTheCurrentPrimaryRenewAndReplaysAreRejected() {
		apply(claim("a", "s1", 1, -1));
		assertThat(apply(heartbeat("a", "s1", 1, 1))).isEqualTo(Outcome.RENEWED);
		assertThat(apply(heartbeat("a", "s1", 1, 2))).isEqualTo(Outcome.RENEWED);
		assertThat(apply(heartbeat("a", "s1", 1, 2))).isEqualTo(Outcome.REPLAYED);
		assertThat(apply(heartbeat("a", "s1", 1, 1))).isEqualTo(Outcome.REPLAYED);
		assertThat(this.log.lastPrimaryOffset()).isEqualTo(2);
	}

	@Test
	void recordsOfOlderEpochsAreStale() {
		apply(claim("a", "s1", 1, -1));
		apply(claim("b", "s2", 2, this.offset - 1));
		assertThat(apply(heartbeat("a", "s1", 1, 5))).isEqualTo(Outcome.STALE);
		assertThat(apply(shutdown("a", "s1", 1, null))).isEqualTo(Outcome.STALE);
		assertThat(apply(claim("c", "s3", 1, this.offset - 1))).isEqualTo(Outcome.STALE);
		assertThat(this.log.primaryId()).isEqualTo("b");
	}

	@Test
	void heartbeatOfAHigherEpochIsAdopted() {
		// a reader whose log starts after the claim (truncated history) catches up
		assertThat(apply(heartbeat("b", "s2", 7, 30))).isEqualTo(Outcome.ADOPTED);
		assertThat(this.log.epoch()).isEqualTo(7);
		assertThat(this.log.maxEpoch()).isEqualTo(7);
		assertThat(apply(heartbeat("b", "s2", 7, 31))).isEqualTo(Outcome.RENEWED);
	}

	@Test
	void heartbeatOfTheSameEpochByAnotherWriterIsAdopted() {
		apply(claim("a", "s1", 1, -1));
		assertThat(apply(heartbeat("x", "s9", 1, 1))).isEqualTo(Outcome.ADOPTED);
		assertThat(this.log.primaryId()).isEqualTo("x");
	}

	@Test
	void shutdownOfThePrimaryVacatesTheGroup() {
		apply(claim("a", "s1", 1, -1));
		assertThat(apply(shutdown("a", "s1", 1, "b"))).isEqualTo(Outcome.VACATED);
		assertThat(this.log.isVacant()).isTrue();
		assertThat(this.log.hasPrimary()).isFalse();
		assertThat(this.log.successor()).isEqualTo("b");
		assertThat(apply(heartbeat("a", "s1", 1, 9))).as("heartbeat after shutdown").isEqualTo(Outcome.REPLAYED);
		assertThat(apply(shutdown("a", "s1", 1, null))).isEqualTo(Outcome.NO_EFFECT);
		assertThat(apply(claim("c", "s3", 2, 0))).as("a claim that missed the shutdown may still win")
			.isEqualTo(Outcome.CLAIM_WON);
		assertThat(this.log.successor()).isNull();
	}

	@Test
	void aShutdownNamingTheSuccessorsSessionGrantsItTheNextEpoch() {
		apply(claim("a", "s1", 1, -1));
		apply(claim("c", "s3", 2, -1)); // lost, but raised the highest epoch to 2
		assertThat(apply(grant("a", "s1", 1, "b", "s2"))).isEqualTo(Outcome.GRANTED);
		assertThat(this.log.epoch()).as("above every epoch asked for").isEqualTo(3);
		assertThat(this.log.primaryId()).isEqualTo("b");
		assertThat(this.log.isGranted()).isTrue();
		assertThat(this.log.hasPrimary()).isTrue();
		assertThat(apply(heartbeat("b", "s2", 3, 1))).isEqualTo(Outcome.RENEWED);
		assertThat(this.log.isGranted()).isFalse();
		assertThat(apply(claim("c", "s3", 3, this.offset - 1))).isEqualTo(Outcome.CLAIM_LOST);
	}

	@Test
	void aGrantOfAStalePrimaryGrantsNothing() {
		apply(claim("a", "s1", 1, -1));
		apply(claim("c", "s3", 2, 0));
		assertThat(apply(grant("a", "s1", 1, "b", "s2"))).isEqualTo(Outcome.STALE);
		assertThat(this.log.primaryId()).isEqualTo("c");
	}

	@Test
	void shutdownOfAnotherInstanceHasNoEffect() {
		apply(claim("a", "s1", 1, -1));
		assertThat(apply(shutdown("b", "s2", 1, null))).isEqualTo(Outcome.NO_EFFECT);
		assertThat(apply(shutdown("a", "old-session", 1, null))).isEqualTo(Outcome.NO_EFFECT);
		assertThat(this.log.hasPrimary()).isTrue();
	}

	@Test
	void shutdownOfAHigherEpochIsAdoptedAsVacant() {
		assertThat(apply(shutdown("a", "s1", 4, null))).isEqualTo(Outcome.VACATED);
		assertThat(this.log.epoch()).isEqualTo(4);
		assertThat(this.log.isVacant()).isTrue();
		assertThat(apply(claim("b", "s2", 5, this.offset - 1))).isEqualTo(Outcome.CLAIM_WON);
	}

	@Test
	void standbyRecordsDoNotTouchTheElection() {
		apply(claim("a", "s1", 1, -1));
		ProtocolRecord standby = new ProtocolRecord(RecordType.STANDBY, "orders", "b", "s2", 1, 0, -1, Instant.EPOCH, null,
				null, Role.SECONDARY, 0, true, false);
		assertThat(apply(standby)).isEqualTo(Outcome.NO_EFFECT);
		assertThat(this.log.lastOffset()).isEqualTo(1);
		assertThat(this.log.lastPrimaryOffset()).isZero();
	}

	@Test
	void recordsOfAnotherGroupAreRefused() {
		ProtocolRecord other = new ProtocolRecord(RecordType.CLAIM, "billing", "a", "s", 1, 0, -1, Instant.EPOCH, null,
				null, Role.PRIMARY, 0, true, false);
		assertThatIllegalArgumentException().isThrownBy(() -> this.log.apply(0, other)).withMessageContaining("billing");
	}

	private Outcome apply(ProtocolRecord record) {
		return this.log.apply(this.offset++, record);
	}

	private static ProtocolRecord claim(String id, String session, long epoch, long based) {
		return new ProtocolRecord(RecordType.CLAIM, "orders", id, session, epoch, 0, based, Instant.EPOCH, null, null,
				Role.PRIMARY, 0, true, false);
	}

	private static ProtocolRecord heartbeat(String id, String session, long epoch, long seq) {
		return new ProtocolRecord(RecordType.HEARTBEAT, "orders", id, session, epoch, seq, -1, Instant.EPOCH, null, null,
				Role.PRIMARY, 0, true, false);
	}

	private static ProtocolRecord grant(String id, String session, long epoch, String successor,
			String successorSession) {
		return new ProtocolRecord(RecordType.SHUTDOWN, "orders", id, session, epoch, 0, -1, Instant.EPOCH, "leaving",
				successor, Role.PRIMARY, 0, true, false, successorSession);
	}

	private static ProtocolRecord shutdown(String id, String session, long epoch, String successor) {
		return new ProtocolRecord(RecordType.SHUTDOWN, "orders", id, session, epoch, 0, -1, Instant.EPOCH, "leaving",
				successor, Role.PRIMARY, 0, true, false);
	}

}
