package dev.failover.core.wire;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import dev.failover.core.Role;

/**
 * The fields of a version 1 record, read from its parsed JSON object with the checks the
 * format requires (docs/PROTOCOL.md, "Records"): {@link RecordCodec} decodes through it.
 */
final class RecordFields {

	private RecordFields() {
	}

	/**
	 * Reads the fields of a version 1 record.
	 * @param members the record's JSON object
	 * @return the record
	 * @throws IllegalArgumentException naming the first field that is missing or invalid
	 */
	static ProtocolRecord parse(Map<String, Object> members) {
		RecordType type = parseType(string(members, "type", true));
		String group = id(members, "group");
		String instanceId = id(members, "instanceId");
		String session = string(members, "session", true);
		require(!session.isEmpty() && session.length() <= 64, "'session' must have 1 to 64 characters");
		long epoch = number(members, "epoch", true, 0);
		// optional in claims and presence records: those of older writers carry none
		long seq = (type == RecordType.HEARTBEAT) ? number(members, "seq", true, 0)
				: (type == RecordType.CLAIM || type == RecordType.STANDBY) ? number(members, "seq", false, 0) : 0;
		long basedOnOffset = (type == RecordType.CLAIM) ? number(members, "basedOnOffset", true, -1) : -1;
		require(type == RecordType.STANDBY || epoch >= 1, "a " + type + " needs an epoch of at least 1");
		Instant sentAt = instant(members, "sentAt");
		String reason = string(members, "reason", false);
		if (reason != null && reason.length() > 512) {
			reason = reason.substring(0, 512);
		}
		String successor = (members.get("successor") != null) ? id(members, "successor") : null;
		String successorSession = string(members, "successorSession", false);
		require(successorSession == null || (successor != null && type == RecordType.SHUTDOWN
				&& !successorSession.isEmpty() && successorSession.length() <= 64),
				"'successorSession' needs a shutdown with a successor, and 1 to 64 characters");
		String preferred = string(members, "preferredRole", false);
		long priority = number(members, "priority", false, Integer.MIN_VALUE);
		require(priority <= Integer.MAX_VALUE, "'priority' out of range");
		long grantEpoch = number(members, "grantEpoch", false, 0);
		require(grantEpoch == 0 || successorSession != null, "'grantEpoch' needs a shutdown that grants");
		require(grantEpoch == 0 || grantEpoch > epoch, "'grantEpoch' must be above the epoch it ends");
		String probe = string(members, "probe", false);
		require(probe == null || (!probe.isEmpty() && probe.length() <= ProtocolRecord.MAX_PROBE_LENGTH
				&& probe.indexOf(':') > 0 && (type == RecordType.HEARTBEAT || type == RecordType.CLAIM)),
				"'probe' must be host:port of at most " + ProtocolRecord.MAX_PROBE_LENGTH
						+ " characters, in a heartbeat or claim");
		return new ProtocolRecord(type, group, instanceId, session, epoch, seq, basedOnOffset, sentAt, reason, successor,
				(preferred != null) ? Role.of(preferred) : Role.SECONDARY, (int) priority, bool(members, "enabled", true),
				bool(members, "leaving", false), successorSession, number(members, "maxEpoch", false, 0), grantEpoch,
				number(members, "lease", false, 0), number(members, "interval", false, 0), probe);
	}

	private static void require(boolean valid, String problem) {
		if (!valid) {
			throw new IllegalArgumentException(problem);
		}
	}

	private static RecordType parseType(String type) {
		for (RecordType candidate : RecordType.values()) {
			if (candidate.name().equals(type)) {
				return candidate;
			}
		}
		throw new IllegalArgumentException("unknown record type '" + abbreviate(type) + "'");
	}

	private static String string(Map<String, Object> members, String name, boolean required) {
		Object value = members.get(name);
		if (value == null) {
			if (required) {
				throw new IllegalArgumentException("missing '" + name + "'");
			}
			return null;
		}
		if (!(value instanceof String text)) {
			throw new IllegalArgumentException("'" + name + "' is not a string");
		}
		return text;
	}

	private static String id(Map<String, Object> members, String name) {
		String value = string(members, name, true);
		if (!RecordCodec.ID_PATTERN.matcher(value).matches()) {
			throw new IllegalArgumentException("'" + name + "' is not a valid id: '" + abbreviate(value) + "'");
		}
		return value;
	}

	private static long number(Map<String, Object> members, String name, boolean required, long min) {
		Object value = members.get(name);
		if (value == null) {
			if (required) {
				throw new IllegalArgumentException("missing '" + name + "'");
			}
			return Math.max(0, min);
		}
		if (!(value instanceof BigDecimal number)) {
			throw new IllegalArgumentException("'" + name + "' is not a number");
		}
		long result;
		try {
			result = number.longValueExact();
		}
		catch (ArithmeticException ex) {
			throw new IllegalArgumentException("'" + name + "' is not a 64-bit integer");
		}
		if (result < min) {
			throw new IllegalArgumentException("'" + name + "' is below " + min);
		}
		return result;
	}

	private static boolean bool(Map<String, Object> members, String name, boolean defaultValue) {
		Object value = members.get(name);
		if (value == null) {
			return defaultValue;
		}
		if (!(value instanceof Boolean flag)) {
			throw new IllegalArgumentException("'" + name + "' is not a boolean");
		}
		return flag;
	}

	private static Instant instant(Map<String, Object> members, String name) {
		String value = string(members, name, true);
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("'" + name + "' is not an ISO-8601 instant");
		}
	}

	private static String abbreviate(String text) {
		return (text.length() <= 40) ? text : text.substring(0, 40) + "…";
	}

}
