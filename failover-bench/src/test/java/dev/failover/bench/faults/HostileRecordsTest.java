package dev.failover.bench.faults;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.failover.core.Role;
import dev.failover.core.wire.DecodeResult;
import dev.failover.core.wire.ProtocolRecord;
import dev.failover.core.wire.RecordCodec;
import dev.failover.core.wire.RecordType;
import dev.failover.core.RejectReason;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite's expectations checked against the real codec, so that a failed count in the
 * suite means a failed watcher, not a wrong expectation.
 */
class HostileRecordsTest {

	private static final String KEY = "a-group-key-of-32-characters-xyz";

	@Test
	void everyGarbageRecordIsRejectedForTheExpectedReasonWithoutSigning() {
		RecordCodec codec = new RecordCodec(HostileRecords.MAX_RECORD_SIZE, null);
		assertThat(new HostileRecords(false).garbage()).allSatisfy((record) -> assertRejected(codec, record));
	}

	@Test
	void everyGarbageRecordIsRejectedForTheExpectedReasonWithSigning() {
		RecordCodec codec = new RecordCodec(HostileRecords.MAX_RECORD_SIZE, KEY);
		assertThat(new HostileRecords(true).garbage()).allSatisfy((record) -> assertRejected(codec, record));
	}

	@Test
	void theGarbageCoversEveryDecodingReason() {
		assertThat(new HostileRecords(false).garbage()).extracting(HostileRecord::expected)
			.contains(RejectReason.MALFORMED, RejectReason.INVALID_FIELD, RejectReason.UNSUPPORTED_VERSION,
					RejectReason.OVERSIZED);
		assertThat(new HostileRecords(false).garbage()).anySatisfy((record) -> assertThat(record.value()).hasSize(1 << 20));
	}

	@Test
	void forgeriesOfASignedGroupAreRejectedAsUnsignedOrBadlySigned() {
		RecordCodec codec = new RecordCodec(HostileRecords.MAX_RECORD_SIZE, KEY);
		byte[] real = codec.encode(heartbeat("a", 3, 7));
		List<HostileRecord> forgeries = new HostileRecords(true).forgeries(103, real);
		assertThat(forgeries).hasSize(4).allSatisfy((record) -> assertRejected(codec, record));
	}

	@Test
	void anUnsignedForgeryIsAValidRecordWithoutSigning() {
		RecordCodec codec = new RecordCodec(HostileRecords.MAX_RECORD_SIZE, null);
		HostileRecord forgery = new HostileRecords(false).forgeries(103, new byte[0]).get(0);
		DecodeResult decoded = codec.decode(forgery.value());
		assertThat(decoded.isAccepted()).isTrue();
		assertThat(decoded.record().epoch()).isEqualTo(103);
	}

	@Test
	void replaysAreOlderEpochsAndTheCurrentPrimarysFirstHeartbeats() {
		RecordCodec codec = new RecordCodec(HostileRecords.MAX_RECORD_SIZE, null);
		List<byte[]> topic = List.of(codec.encode(heartbeat("a", 1, 1)), codec.encode(standby("b", 1)),
				codec.encode(heartbeat("b", 2, 1)), codec.encode(heartbeat("b", 2, 2)), codec.encode(heartbeat("b", 2, 3)),
				codec.encode(heartbeat("b", 2, 4)));
		List<HostileRecord> replays = new HostileRecords(false).replays(topic, 2, null);
		assertThat(replays).extracting(HostileRecord::expected)
			.containsExactly(RejectReason.STALE_EPOCH, RejectReason.REPLAYED, RejectReason.REPLAYED,
					RejectReason.REPLAYED);
	}

	private static void assertRejected(RecordCodec codec, HostileRecord record) {
		DecodeResult decoded = codec.decode(record.value());
		assertThat(decoded.isAccepted()).as(record.label()).isFalse();
		assertThat(decoded.rejectReason()).as(record.label() + ": " + decoded.detail()).isEqualTo(record.expected());
	}

	private static ProtocolRecord heartbeat(String id, long epoch, long seq) {
		return new ProtocolRecord(RecordType.HEARTBEAT, HeartbeatTopic.GROUP, id, "session-" + id, epoch, seq, -1,
				Instant.now(), null, null, Role.PRIMARY, 0, true, false);
	}

	private static ProtocolRecord standby(String id, long epoch) {
		return new ProtocolRecord(RecordType.STANDBY, HeartbeatTopic.GROUP, id, "session-" + id, epoch, 0, -1,
				Instant.now(), null, null, Role.PRIMARY, 0, true, false);
	}

}
