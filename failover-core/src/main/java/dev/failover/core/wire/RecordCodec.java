package dev.failover.core.wire;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.failover.core.RejectReason;

/**
 * Encodes protocol records as versioned JSON and decodes them defensively.
 * <p>
 * The format (version 1) is one flat JSON object per record, for example:
 * <pre>{"v":1,"type":"HEARTBEAT","group":"orders","instanceId":"host-a-4242","session":"9f2c…",
 * "epoch":3,"seq":17,"sentAt":"2026-11-27T10:15:30.123Z","preferredRole":"primary","priority":0,
 * "enabled":true}</pre>
 * Unknown members are ignored, so later minor versions can add fields. With a signing key,
 * the encoder appends {@code ,"sig":"<base64 HMAC-SHA256>"} as the last member; the MAC
 * covers the record text without that member. Decoding never throws: bad input of any kind
 * becomes a {@link DecodeResult} with a {@link RejectReason}.
 */
public final class RecordCodec {

	/** The format version this release writes and reads. */
	public static final int VERSION = 1;

	/** The pattern of group names and instance ids. */
	public static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

	private static final String SIG_MEMBER = ",\"sig\":\"";

	private static final String HMAC = "HmacSHA256";

	private final int maxRecordSize;

	private final SecretKeySpec signingKey;

	private final boolean acceptUnsigned;

	/** The keys whose signatures are accepted: the signing key first, then the others. */
	private final List<SecretKeySpec> verifyingKeys;

	/**
	 * Creates a codec.
	 * @param maxRecordSize the largest record accepted, in bytes
	 * @param signingKey the shared secret for signatures, or {@code null} for unsigned records
	 */
	public RecordCodec(int maxRecordSize, String signingKey) {
		this(maxRecordSize, signingKey, List.of());
	}

	/**
	 * Creates a codec that also accepts records signed with other keys, so that a key can be
	 * rotated by rolling restarts without a moment at which two members reject each other:
	 * first every member accepts the new key, then signs with it, then drops the old one.
	 * @param maxRecordSize the largest record accepted, in bytes
	 * @param signingKey the shared secret this codec signs with, or {@code null} for unsigned
	 * records (a codec that does not sign accepts unsigned records, and records signed with
	 * one of the accepted keys)
	 * @param acceptedKeys further keys whose signatures are accepted
	 */
	public RecordCodec(int maxRecordSize, String signingKey, List<String> acceptedKeys) {
		this(maxRecordSize, signingKey, acceptedKeys, false);
	}

	/**
	 * Creates a codec that also accepts records signed with other keys and, while signing is
	 * being turned on, unsigned records.
	 * @param maxRecordSize the largest record accepted, in bytes
	 * @param signingKey the shared secret this codec signs with, or {@code null}
	 * @param acceptedKeys further keys whose signatures are accepted
	 * @param acceptUnsigned whether unsigned records are accepted although this codec signs
	 * (for the rolling restarts that turn signing on: without it, an instance that signs
	 * cannot take the role from one that does not yet)
	 */
	public RecordCodec(int maxRecordSize, String signingKey, List<String> acceptedKeys, boolean acceptUnsigned) {
		this.acceptUnsigned = acceptUnsigned;
		this.maxRecordSize = maxRecordSize;
		this.signingKey = (signingKey != null) ? key(signingKey) : null;
		List<SecretKeySpec> keys = new ArrayList<>();
		if (this.signingKey != null) {
			keys.add(this.signingKey);
		}
		for (String accepted : acceptedKeys) {
			if (accepted != null && !accepted.isEmpty() && !accepted.equals(signingKey)) {
				keys.add(key(accepted));
			}
		}
		this.verifyingKeys = List.copyOf(keys);
	}

	private static SecretKeySpec key(String secret) {
		return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
	}

	/**
	 * Returns whether this codec signs and verifies records.
	 * @return {@code true} with a signing key
	 */
	public boolean isSigning() {
		return this.signingKey != null;
	}

	/**
	 * Encodes a record.
	 * @param record the record
	 * @return its UTF-8 JSON bytes
	 */
	public byte[] encode(ProtocolRecord record) {
		StringBuilder out = new StringBuilder(256);
		out.append("{\"v\":").append(VERSION).append(",\"type\":\"").append(record.type().name()).append('"');
		member(out, "group", record.group());
		member(out, "instanceId", record.instanceId());
		member(out, "session", record.session());
		out.append(",\"epoch\":").append(record.epoch());
		if (record.type() == RecordType.HEARTBEAT || record.type() == RecordType.CLAIM
				|| (record.type() == RecordType.STANDBY && record.seq() > 0)) {
			out.append(",\"seq\":").append(record.seq());
		}
		if (record.type() == RecordType.CLAIM) {
			out.append(",\"basedOnOffset\":").append(record.basedOnOffset());
		}
		member(out, "sentAt", record.sentAt().toString());
		if (record.reason() != null) {
			member(out, "reason", record.reason());
		}
		if (record.successor() != null) {
			member(out, "successor", record.successor());
		}
		if (record.successorSession() != null) {
			member(out, "successorSession", record.successorSession());
		}
		member(out, "preferredRole", record.preferredRole().label());
		out.append(",\"priority\":").append(record.priority());
		out.append(",\"enabled\":").append(record.enabled());
		if (record.leaving()) {
			out.append(",\"leaving\":true");
		}
		// added in 0.2, optional: older readers ignore them, older writers leave them out
		if (record.maxEpoch() > 0) {
			out.append(",\"maxEpoch\":").append(record.maxEpoch());
		}
		if (record.grantEpoch() > 0) {
			out.append(",\"grantEpoch\":").append(record.grantEpoch());
		}
		if (record.leaseMillis() > 0) {
			out.append(",\"lease\":").append(record.leaseMillis());
		}
		if (record.probe() != null) {
			member(out, "probe", record.probe());
		}
		if (record.intervalMillis() > 0) {
			out.append(",\"interval\":").append(record.intervalMillis());
		}
		out.append('}');
		if (this.signingKey != null) {
			String signature = Base64.getEncoder().encodeToString(mac(this.signingKey, out.toString()));
			out.setLength(out.length() - 1);
			out.append(SIG_MEMBER).append(signature).append("\"}");
		}
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Decodes a record; never throws.
	 * @param bytes the record value as read from the log, may be {@code null}
	 * @return the record, or the reason it was rejected
	 */
	public DecodeResult decode(byte[] bytes) {
		try {
			return doDecode(bytes);
		}
		catch (RuntimeException ex) {
			// defensive: no input may escape as an exception
			return DecodeResult.rejected(RejectReason.MALFORMED, "unreadable record: " + ex);
		}
	}

	private DecodeResult doDecode(byte[] bytes) {
		if (bytes == null || bytes.length == 0) {
			return DecodeResult.rejected(RejectReason.MALFORMED, "empty record");
		}
		if (bytes.length > this.maxRecordSize) {
			return DecodeResult.rejected(RejectReason.OVERSIZED,
					bytes.length + " bytes, more than the maximum of " + this.maxRecordSize);
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return DecodeResult.rejected(RejectReason.MALFORMED, "not UTF-8");
		}
		DecodeResult signatureProblem = this.verifyingKeys.isEmpty() ? null : verifySignature(text);
		DecodeResult decoded = parse(text);
		if (signatureProblem == null) {
			return decoded;
		}
		// not provably from a member, whatever it says; if it is well-formed, it still shows
		// that the group is in use (by members with another key, or none, during a rolling change)
		return decoded.isAccepted()
				? DecodeResult.unverified(signatureProblem.rejectReason(), signatureProblem.detail(), decoded.record())
				: signatureProblem;
	}

	private DecodeResult parse(String text) {
		Map<String, Object> members;
		try {
			members = Json.parseObject(text);
		}
		catch (IllegalArgumentException ex) {
			return DecodeResult.rejected(RejectReason.MALFORMED, "not a JSON object: " + ex.getMessage());
		}
		return toRecord(members);
	}

	private DecodeResult verifySignature(String text) {
		int at = text.lastIndexOf(SIG_MEMBER);
		if (at < 0 || !text.endsWith("\"}")) {
			// a codec that does not sign itself (it only accepts keys) accepts unsigned records
			return (this.signingKey == null || this.acceptUnsigned) ? null
					: DecodeResult.rejected(RejectReason.UNSIGNED, "no signature");
		}
		String encoded = text.substring(at + SIG_MEMBER.length(), text.length() - 2);
		byte[] signature;
		try {
			signature = Base64.getDecoder().decode(encoded);
		}
		catch (IllegalArgumentException ex) {
			return DecodeResult.rejected(RejectReason.BAD_SIGNATURE, "signature is not base64");
		}
		String signed = text.substring(0, at) + "}";
		for (SecretKeySpec key : this.verifyingKeys) {
			if (MessageDigest.isEqual(mac(key, signed), signature)) {
				return null;
			}
		}
		return DecodeResult.rejected(RejectReason.BAD_SIGNATURE, "signature does not match any accepted key");
	}

	private DecodeResult toRecord(Map<String, Object> members) {
		Object version = members.get("v");
		if (!(version instanceof BigDecimal number)) {
			return invalid("missing or non-numeric 'v'");
		}
		if (number.compareTo(BigDecimal.valueOf(VERSION)) != 0) {
			return DecodeResult.rejected(RejectReason.UNSUPPORTED_VERSION,
					"format version " + number.toPlainString() + ", this release reads " + VERSION);
		}
		try {
			return DecodeResult.accepted(RecordFields.parse(members));
		}
		catch (IllegalArgumentException ex) {
			return invalid(ex.getMessage());
		}
	}

	private static DecodeResult invalid(String detail) {
		return DecodeResult.rejected(RejectReason.INVALID_FIELD, detail);
	}

	private static void member(StringBuilder out, String name, String value) {
		out.append(",\"").append(name).append("\":");
		Json.writeString(out, value);
	}

	private static byte[] mac(SecretKeySpec key, String text) {
		try {
			Mac mac = Mac.getInstance(HMAC);
			mac.init(key);
			return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", ex);
		}
	}

}
