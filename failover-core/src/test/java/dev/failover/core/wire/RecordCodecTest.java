package dev.failover.core.wire;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.failover.core.Role;

import static org.assertj.core.api.Assertions.assertThat;
import dev.failover.core.RejectReason;

class RecordCodecTest {

	private static final Instant SENT = Instant.parse("2026-11-27T10:15:30.123Z");

	private final RecordCodec codec = new RecordCodec(64 * 1024, null);

	static ProtocolRecord heartbeat(long epoch, long seq) {
		return new ProtocolRecord(RecordType.HEARTBEAT, "orders", "host-a-42", "9f2c", epoch, seq, -1, SENT, null, null,
				Role.PRIMARY, 0, true, false);
	}

	@Test
	void everyRecordTypeRoundTrips() {
		ProtocolRecord[] records = { heartbeat(3, 17),
				new ProtocolRecord(RecordType.CLAIM, "orders", "b", "s2", 4, 0, 120, SENT, "primary 'a' silent for 15s",
						null, Role.SECONDARY, -2, true, false),
				new ProtocolRecord(RecordType.SHUTDOWN, "orders", "a", "s1", 3, 0, -1, SENT, "shutting down", "b",
						Role.PRIMARY, 0, true, true),
				new ProtocolRecord(RecordType.SHUTDOWN, "orders", "a", "s1", 3, 0, -1, SENT, "switchover", "b",
						Role.PRIMARY, 0, true, false, "s2"),
				new ProtocolRecord(RecordType.STANDBY, "orders", "c", "s3", 3, 0, -1, SENT, null, null, Role.SECONDARY, 5,
						false, false),
				// a presence record's sequence number lets its writer recognise it when reading it back
				new ProtocolRecord(RecordType.STANDBY, "orders", "c", "s3", 3, 8, -1, SENT, null, null, Role.SECONDARY, 5,
						true, false) };
		for (ProtocolRecord record : records) {
			DecodeResult result = this.codec.decode(this.codec.encode(record));
			assertThat(result.isAccepted()).as("%s: %s", record, result.detail()).isTrue();
			assertThat(result.record()).isEqualTo(record);
		}
	}

	@Test
	void encodingIsTheDocumentedJson() {
		String json = new String(this.codec.encode(heartbeat(3, 17)), StandardCharsets.UTF_8);
		assertThat(json).isEqualTo("{\"v\":1,\"type\":\"HEARTBEAT\",\"group\":\"orders\",\"instanceId\":\"host-a-42\","
				+ "\"session\":\"9f2c\",\"epoch\":3,\"seq\":17,\"sentAt\":\"2026-11-27T10:15:30.123Z\","
				+ "\"preferredRole\":\"primary\",\"priority\":0,\"enabled\":true}");
	}

	@Test
	void unknownFieldsAreTolerated() {
		String json = "{\"v\":1,\"type\":\"HEARTBEAT\",\"future\":{\"nested\":[1,2,{\"x\":null}]},\"group\":\"orders\","
				+ "\"instanceId\":\"a\",\"session\":\"s\",\"epoch\":2,\"seq\":5,\"sentAt\":\"2026-11-27T10:15:30Z\","
				+ "\"extra\":\"\\u00e9\\n\"}";
		DecodeResult result = decode(json);
		assertThat(result.isAccepted()).as(result.detail()).isTrue();
		assertThat(result.record().epoch()).isEqualTo(2);
		assertThat(result.record().preferredRole()).isEqualTo(Role.SECONDARY);
		assertThat(result.record().enabled()).isTrue();
	}

	@Test
	void malformedInputIsRejectedWithAReason() {
		assertThat(this.codec.decode(null).rejectReason()).isEqualTo(RejectReason.MALFORMED);
		assertThat(this.codec.decode(new byte[0]).rejectReason()).isEqualTo(RejectReason.MALFORMED);
		assertThat(this.codec.decode(new byte[] { (byte) 0xff, (byte) 0xfe, 0x00 }).rejectReason())
			.isEqualTo(RejectReason.MALFORMED);
		assertThat(decode("{\"v\":1,\"type\":\"HEARTBEAT\"").rejectReason()).isEqualTo(RejectReason.MALFORMED);
		assertThat(decode("[1,2,3]").rejectReason()).isEqualTo(RejectReason.MALFORMED);
		assertThat(decode("{} trailing").rejectReason()).isEqualTo(RejectReason.MALFORMED);
		assertThat(decode("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}").rejectReason())
			.isEqualTo(RejectReason.MALFORMED);
	}

	@Test
	void wrongTypesAndMissingFieldsAreInvalid() {
		String valid = new String(this.codec.encode(heartbeat(3, 1)), StandardCharsets.UTF_8);
		assertThat(decode(valid.replace("\"epoch\":3", "\"epoch\":\"3\"")).rejectReason())
			.isEqualTo(RejectReason.INVALID_FIELD);
		assertThat(decode(valid.replace("\"epoch\":3", "\"epoch\":-3")).rejectReason())
			.isEqualTo(RejectReason.INVALID_FIELD);
		assertThat(decode(valid.replace("\"epoch\":3", "\"epoch\":3.5")).rejectReason())
			.isEqualTo(RejectReason.INVALID_FIELD);
		assertThat(decode(valid.replace("\"epoch\":3", "\"epoch\":99999999999999999999")).rejectReason())
			.isEqualTo(RejectReason.INVALID_FIELD);
		assertThat(decode(valid.replace(",\"seq\":1", "")).rejectReason()).isEqualTo(RejectReason.INVALID_FIELD);
		assertThat(decode(valid.replace("HEARTBEAT", "ELECT")).detail()).contains("unknown record type");
		assertThat(decode(valid.replace("\"orders\"", "\"or ders\"")).rejectReason())
			.isEqualTo(RejectReason.INVALID_FIELD);
		assertThat(decode(valid.replace("2026-11-27T10:15:30.123Z", "yesterday")).rejectReason())
			.isEqualTo(RejectReason.INVALID_FIELD);
		assertThat(decode(valid.replace("\"enabled\":true", "\"enabled\":1")).rejectReason())
			.isEqualTo(RejectReason.INVALID_FIELD);
		assertThat(decode(valid.replace("\"primary\"", "\"leader\"")).rejectReason())
			.isEqualTo(RejectReason.INVALID_FIELD);
	}

	@Test
	void unknownVersionIsRejected() {
		String valid = new String(this.codec.encode(heartbeat(3, 1)), StandardCharsets.UTF_8);
		DecodeResult result = decode(valid.replace("\"v\":1", "\"v\":2"));
		assertThat(result.rejectReason()).isEqualTo(RejectReason.UNSUPPORTED_VERSION);
		assertThat(result.detail()).contains("format version 2");
		assertThat(decode(valid.replace("\"v\":1,", "")).rejectReason()).isEqualTo(RejectReason.INVALID_FIELD);
	}

	@Test
	void oversizedRecordsAreRejectedBeforeParsing() {
		byte[] huge = new byte[1024 * 1024];
		java.util.Arrays.fill(huge, (byte) '{');
		DecodeResult result = this.codec.decode(huge);
		assertThat(result.rejectReason()).isEqualTo(RejectReason.OVERSIZED);
		assertThat(result.detail()).contains("1048576 bytes");
	}

	@Test
	void signedRecordsVerifyAndTamperingIsDetected() {
		RecordCodec signer = new RecordCodec(64 * 1024, "a-shared-secret-of-the-group");
		byte[] signed = signer.encode(heartbeat(3, 1));
		assertThat(new String(signed, StandardCharsets.UTF_8)).contains(",\"sig\":\"").endsWith("\"}");
		assertThat(signer.decode(signed).record()).isEqualTo(heartbeat(3, 1));

		String tampered = new String(signed, StandardCharsets.UTF_8).replace("\"epoch\":3", "\"epoch\":9");
		assertThat(signer.decode(tampered.getBytes(StandardCharsets.UTF_8)).rejectReason())
			.isEqualTo(RejectReason.BAD_SIGNATURE);
		assertThat(signer.decode(this.codec.encode(heartbeat(9, 1))).rejectReason()).isEqualTo(RejectReason.UNSIGNED);
		RecordCodec otherKey = new RecordCodec(64 * 1024, "another-secret-entirely!!");
		assertThat(otherKey.decode(signed).rejectReason()).isEqualTo(RejectReason.BAD_SIGNATURE);
		String garbledSignature = new String(signed, StandardCharsets.UTF_8).replaceAll("\"sig\":\"[^\"]*\"",
				"\"sig\":\"%%%\"");
		assertThat(signer.decode(garbledSignature.getBytes(StandardCharsets.UTF_8)).rejectReason())
			.isEqualTo(RejectReason.BAD_SIGNATURE);
		// an unsigned reader ignores the signature
		assertThat(this.codec.decode(signed).isAccepted()).isTrue();
	}

	@Test
	void theWritersKnowledgeAndTimingAndTheGrantedEpochRoundTrip() {
		RecordCodec codec = new RecordCodec(64 * 1024, null);
		ProtocolRecord grant = new ProtocolRecord(RecordType.SHUTDOWN, "orders", "a", "s1", 4, 0, -1, SENT, "leaving", "b",
				Role.PRIMARY, 0, true, true, "s2", 6, 7, 2400, 1000);
		ProtocolRecord decoded = codec.decode(codec.encode(grant)).record();
		assertThat(decoded).isEqualTo(grant);
		assertThat(decoded.highestEpoch()).isEqualTo(7);
		assertThat(new String(codec.encode(grant), StandardCharsets.UTF_8))
			.contains("\"maxEpoch\":6,\"grantEpoch\":7,\"lease\":2400,\"interval\":1000");
		// a grant must grant an epoch above the one it ends
		String low = new String(codec.encode(grant), StandardCharsets.UTF_8).replace("\"grantEpoch\":7", "\"grantEpoch\":4");
		assertThat(codec.decode(low.getBytes(StandardCharsets.UTF_8)).rejectReason()).isEqualTo(RejectReason.INVALID_FIELD);
	}

	@Test
	void acceptedKeysVerifyAndWhatFailsVerificationIsStillReadAsUnverified() {
		String oldKey = "the-old-secret-of-the-group";
		String newKey = "the-new-secret-of-the-group";
		ProtocolRecord heartbeat = new ProtocolRecord(RecordType.HEARTBEAT, "orders", "a", "s1", 3, 7, -1, SENT, null,
				null, Role.PRIMARY, 0, true, false);
		byte[] oldSigned = new RecordCodec(64 * 1024, oldKey).encode(heartbeat);
		byte[] newSigned = new RecordCodec(64 * 1024, newKey).encode(heartbeat);
		byte[] unsigned = new RecordCodec(64 * 1024, null).encode(heartbeat);
		RecordCodec rotating = new RecordCodec(64 * 1024, newKey, java.util.List.of(oldKey));
		assertThat(rotating.decode(oldSigned).record()).isEqualTo(heartbeat);
		assertThat(rotating.decode(newSigned).record()).isEqualTo(heartbeat);
		DecodeResult rejected = rotating.decode(unsigned);
		assertThat(rejected.isAccepted()).isFalse();
		assertThat(rejected.rejectReason()).isEqualTo(RejectReason.UNSIGNED);
		assertThat(rejected.unverified()).isEqualTo(heartbeat);
		// an instance that does not sign yet accepts unsigned records and the accepted key's
		RecordCodec accepting = new RecordCodec(64 * 1024, null, java.util.List.of(newKey));
		assertThat(accepting.decode(unsigned).isAccepted()).isTrue();
		assertThat(accepting.decode(newSigned).isAccepted()).isTrue();
		assertThat(accepting.decode(oldSigned).rejectReason()).isEqualTo(RejectReason.BAD_SIGNATURE);
		assertThat(accepting.decode("not json at all".getBytes(StandardCharsets.UTF_8)).unverified()).isNull();
	}

	@Test
	void rejectReasonsAreKebabCaseTags() {
		assertThat(RejectReason.STALE_EPOCH.tag()).isEqualTo("stale-epoch");
		assertThat(RejectReason.UNSUPPORTED_VERSION).hasToString("unsupported-version");
	}

	private DecodeResult decode(String json) {
		return this.codec.decode(json.getBytes(StandardCharsets.UTF_8));
	}

}
