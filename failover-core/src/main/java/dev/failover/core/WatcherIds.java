package dev.failover.core;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Locale;

import dev.failover.core.wire.RecordCodec;

/**
 * The ids a watcher uses: its default instance id, its sessions, and the check of any id it
 * is given.
 */
final class WatcherIds {

	private static final SecureRandom SESSIONS = new SecureRandom();

	private WatcherIds() {
	}

	/**
	 * Returns a new session id, drawn from the operating system's entropy when the watcher
	 * connects (never from a seeded or restored generator), so that processes restored from
	 * one snapshot get different sessions.
	 */
	static String newSession() {
		return Long.toHexString(SESSIONS.nextLong() | 0x1000_0000_0000_0000L);
	}

	/** Returns host name and process id, cleaned up to a valid id. */
	static String defaultInstanceId() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "instance";
		}
		String cleaned = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
		if (cleaned.isEmpty()) {
			cleaned = "instance";
		}
		if (cleaned.length() > 100) {
			cleaned = cleaned.substring(0, 100);
		}
		return cleaned + "-" + ProcessHandle.current().pid();
	}

	/** Returns the id if it is valid, else fails naming the setting and the fix. */
	static String requireId(String property, String value) {
		if (value == null || !RecordCodec.ID_PATTERN.matcher(value).matches()) {
			throw new FailoverConfigException(property,
					property + " '" + value + "' is not a valid id: use 1 to 128 letters, digits, '.', '_', ':' or '-', "
							+ "starting with a letter or digit.",
					"Set " + property + " to a name such as 'orders-service'.");
		}
		return value;
	}

}
