package dev.failover.bench.faults;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.failover.core.Role;
import dev.failover.core.wire.DecodeResult;
import dev.failover.core.wire.ProtocolRecord;
import dev.failover.core.wire.RecordCodec;
import dev.failover.core.wire.RecordType;
import dev.failover.core.RejectReason;

/**
 * The hostile input the suite writes to the heartbeat topic: garbage of every kind,
 * replays of real records, and forged heartbeats of a higher epoch, each with the reason it
 * must be rejected for, which depends on whether the group signs its records (then every
 * unsigned text is rejected as unsigned before it is even parsed).
 */
final class HostileRecords {

	/** The default {@code failover.max-record-size}. */
	static final int MAX_RECORD_SIZE = 64 * 1024;

	static final int ONE_MIB = 1024 * 1024;

	private final boolean signed;

	private final Random random = new Random(42);

	/**
	 * Creates the generator.
	 * @param signed whether the group signs its records
	 */
	HostileRecords(boolean signed) {
		this.signed = signed;
	}

	/**
	 * Returns malformed, mistyped, unknown-version and oversized records.
	 * @return the records
	 */
	List<HostileRecord> garbage() {
		String base = new String(new RecordCodec(MAX_RECORD_SIZE, null).encode(forgedHeartbeat(1)), StandardCharsets.UTF_8);
		List<HostileRecord> records = new ArrayList<>();
		byte[] random = new byte[512];
		this.random.nextBytes(random);
		// 0xFF never occurs in UTF-8
		random[0] = (byte) 0xFF;
		records.add(new HostileRecord("random bytes", random, RejectReason.MALFORMED));
		records.add(new HostileRecord("empty value", new byte[0], RejectReason.MALFORMED));
		records.add(text("plain text", "failover? no thanks", RejectReason.MALFORMED));
		records.add(text("JSON array", "[1,2,3]", RejectReason.MALFORMED));
		records.add(text("JSON null", "null", RejectReason.MALFORMED));
		records.add(text("truncated JSON", base.substring(0, base.length() / 2), RejectReason.MALFORMED));
		records.add(text("JSON nested 100 deep", "{\"v\":1,\"x\":" + "[".repeat(100) + "]".repeat(100) + "}",
				RejectReason.MALFORMED));
		records.add(text("version as a string", base.replace("\"v\":1", "\"v\":\"1\""), RejectReason.INVALID_FIELD));
		records.add(text("epoch as a string", base.replace("\"epoch\":1", "\"epoch\":\"high\""),
				RejectReason.INVALID_FIELD));
		records.add(text("negative epoch", base.replace("\"epoch\":1", "\"epoch\":-7"), RejectReason.INVALID_FIELD));
		records.add(text("epoch beyond 64 bits", base.replace("\"epoch\":1", "\"epoch\":1e400"),
				RejectReason.INVALID_FIELD));
		records.add(text("no instance id", base.replace("\"instanceId\":\"mallory\",", ""), RejectReason.INVALID_FIELD));
		records.add(text("invalid instance id", base.replace("\"mallory\"", "\"mal lory!\""), RejectReason.INVALID_FIELD));
		records.add(text("unknown record type", base.replace("\"HEARTBEAT\"", "\"ELECT\""), RejectReason.INVALID_FIELD));
		records.add(text("sentAt not a time", base.replaceFirst("\"sentAt\":\"[^\"]*\"", "\"sentAt\":\"yesterday\""),
				RejectReason.INVALID_FIELD));
		records.add(text("boolean as a string", base.replace("\"enabled\":true", "\"enabled\":\"yes\""),
				RejectReason.INVALID_FIELD));
		records.add(text("format version 2", base.replace("\"v\":1", "\"v\":2"), RejectReason.UNSUPPORTED_VERSION));
		records.add(text("format version 999", base.replace("\"v\":1", "\"v\":999"), RejectReason.UNSUPPORTED_VERSION));
		records.add(text("format version 1.5", base.replace("\"v\":1", "\"v\":1.5"), RejectReason.UNSUPPORTED_VERSION));
		records.add(new HostileRecord("one byte over the limit", padded(base, MAX_RECORD_SIZE + 1),
				RejectReason.OVERSIZED));
		records.add(new HostileRecord("1 MiB record", padded(base, ONE_MIB), RejectReason.OVERSIZED));
		return records;
	}

	/**
	 * Picks real records of the topic to replay: every election record of an epoch below
	 * the current one (stale), and the current primary's first heartbeats (already seen).
	 * Presence records and claims of the current epoch are left out: replaying them is
	 * harmless and not counted as rejected.
	 * @param topic the records as read from the topic, in order
	 * @param currentEpoch the group's current epoch
	 * @param signingKey the group's signing key, or {@code null}
	 * @return the records to replay
	 */
	List<HostileRecord> replays(List<byte[]> topic, long currentEpoch, String signingKey) {
		RecordCodec codec = new RecordCodec(16 * ONE_MIB, signingKey);
		List<HostileRecord> replays = new ArrayList<>();
		int currentHeartbeats = 0;
		for (byte[] value : topic) {
			DecodeResult decoded = codec.decode(value);
			if (!decoded.isAccepted() || decoded.record().type() == RecordType.STANDBY) {
				continue;
			}
			ProtocolRecord record = decoded.record();
			if (record.epoch() < currentEpoch) {
				replays.add(new HostileRecord("replayed " + record, value, RejectReason.STALE_EPOCH));
			}
			else if (record.epoch() == currentEpoch && record.type() == RecordType.HEARTBEAT && currentHeartbeats < 3) {
				currentHeartbeats++;
				replays.add(new HostileRecord("replayed " + record, value, RejectReason.REPLAYED));
			}
		}
		return replays;
	}

	/**
	 * Returns heartbeats of a made-up primary at a much higher epoch. Without signing the
	 * unsigned one is valid: it deposes the primary (the trust model's limit). With signing,
	 * all of them must be rejected.
	 * @param epoch the forged epoch
	 * @param realRecord a real record of the group, to tamper with
	 * @return the forgeries
	 */
	List<HostileRecord> forgeries(long epoch, byte[] realRecord) {
		List<HostileRecord> forged = new ArrayList<>();
		ProtocolRecord heartbeat = forgedHeartbeat(epoch);
		forged.add(new HostileRecord("forged heartbeat of epoch " + epoch + ", unsigned",
				new RecordCodec(MAX_RECORD_SIZE, null).encode(heartbeat), RejectReason.UNSIGNED));
		if (this.signed) {
			forged.add(new HostileRecord("forged heartbeat of epoch " + epoch + ", signed with another key",
					new RecordCodec(MAX_RECORD_SIZE, "not-the-group-key-but-long-enough").encode(heartbeat),
					RejectReason.BAD_SIGNATURE));
			String unsigned = new String(new RecordCodec(MAX_RECORD_SIZE, null).encode(heartbeat), StandardCharsets.UTF_8);
			forged.add(text("forged heartbeat with a signature that is not base64",
					unsigned.substring(0, unsigned.length() - 1) + ",\"sig\":\"!!not base64!!\"}",
					RejectReason.BAD_SIGNATURE));
			String real = new String(realRecord, StandardCharsets.UTF_8);
			forged.add(text("real signed record with its epoch raised",
					real.replaceFirst("\"epoch\":\\d+", "\"epoch\":" + epoch), RejectReason.BAD_SIGNATURE));
		}
		return forged;
	}

	private HostileRecord text(String label, String text, RejectReason unsignedReason) {
		return new HostileRecord(label, text.getBytes(StandardCharsets.UTF_8), expected(text, unsignedReason));
	}

	/** With signing on, a text without a signature member is rejected as unsigned before it is parsed. */
	private RejectReason expected(String text, RejectReason unsignedReason) {
		if (!this.signed || unsignedReason == RejectReason.BAD_SIGNATURE) {
			return unsignedReason;
		}
		return text.isEmpty() ? RejectReason.MALFORMED : RejectReason.UNSIGNED;
	}

	private byte[] padded(String base, int size) {
		String head = base.substring(0, base.length() - 1) + ",\"pad\":\"";
		int padding = size - head.length() - 2;
		char[] pad = new char[padding];
		Arrays.fill(pad, 'x');
		byte[] bytes = (head + new String(pad) + "\"}").getBytes(StandardCharsets.UTF_8);
		if (bytes.length != size) {
			throw new IllegalStateException("padded record has " + bytes.length + " bytes, not " + size);
		}
		return bytes;
	}

	private static ProtocolRecord forgedHeartbeat(long epoch) {
		return new ProtocolRecord(RecordType.HEARTBEAT, HeartbeatTopic.GROUP, "mallory", "forged-session", epoch, 1, -1,
				Instant.now(), null, null, Role.PRIMARY, 0, true, false);
	}

}
