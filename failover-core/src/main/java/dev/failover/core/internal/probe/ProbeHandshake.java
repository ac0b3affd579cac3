package dev.failover.core.internal.probe;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.failover.core.spi.ProcessProbes.Identity;

/**
 * The two lines a probe connection starts with: the watcher's hello
 * ({@code FAILOVER-PROBE 1 <group> <nonce>}) and the endpoint's answer
 * ({@code FAILOVER-PROBE 1 <group> <instance> <session> <mac>}). With a signing key the
 * answer carries an HMAC-SHA256 of the nonce and the identity, so that only a process that
 * holds the group's key can pass for its primary; without one, {@code -}.
 */
final class ProbeHandshake {

	static final String PREFIX = "FAILOVER-PROBE 1 ";

	/** The longest line either side reads. */
	static final int MAX_LINE = 512;

	private final String signingKey;

	private final List<String> acceptedKeys;

	private final boolean acceptUnsigned;

	/**
	 * Creates the handshake of a member.
	 * @param signingKey the key it signs with, or {@code null}
	 * @param acceptedKeys other keys it accepts
	 * @param acceptUnsigned whether it accepts unsigned answers although it has a key
	 */
	ProbeHandshake(String signingKey, List<String> acceptedKeys, boolean acceptUnsigned) {
		this.signingKey = signingKey;
		this.acceptedKeys = List.copyOf(acceptedKeys);
		this.acceptUnsigned = acceptUnsigned;
	}

	String hello(String group, String nonce) {
		return PREFIX + group + " " + nonce + "\n";
	}

	/**
	 * Returns the answer to a hello, or {@code null} if the hello is not for this group.
	 */
	String answer(String hello, Identity self) {
		String[] parts = hello.trim().split(" ");
		if (parts.length != 4 || !(parts[0] + " " + parts[1] + " ").equals(PREFIX) || !parts[2].equals(self.group())) {
			return null;
		}
		String mac = (this.signingKey != null) ? mac(this.signingKey, parts[3], self) : "-";
		return PREFIX + self.group() + " " + self.instanceId() + " " + self.session() + " " + mac + "\n";
	}

	/**
	 * Returns whether an answer names the expected identity, signed as this member requires.
	 */
	boolean verify(String answer, String nonce, Identity expected) {
		String[] parts = answer.trim().split(" ");
		if (parts.length != 6 || !(parts[0] + " " + parts[1] + " ").equals(PREFIX)
				|| !new Identity(parts[2], parts[3], parts[4]).equals(expected)) {
			return false;
		}
		if (this.signingKey == null || (this.acceptUnsigned && parts[5].equals("-"))) {
			return true;
		}
		List<String> keys = new ArrayList<>(this.acceptedKeys);
		keys.add(0, this.signingKey);
		byte[] given = parts[5].getBytes(StandardCharsets.US_ASCII);
		for (String key : keys) {
			if (MessageDigest.isEqual(mac(key, nonce, expected).getBytes(StandardCharsets.US_ASCII), given)) {
				return true;
			}
		}
		return false;
	}

	private static String mac(String key, String nonce, Identity identity) {
		try {
			Mac hmac = Mac.getInstance("HmacSHA256");
			hmac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			String text = nonce + "\n" + identity.group() + "\n" + identity.instanceId() + "\n" + identity.session();
			return HexFormat.of().formatHex(hmac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
