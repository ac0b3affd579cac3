package dev.failover.core;

import java.util.Locale;

/**
 * Why a record read from the log was ignored. The set is closed, so it is safe as a
 * metric tag.
 */
public enum RejectReason {

	/** Not valid UTF-8 JSON, or not a JSON object. */
	MALFORMED,

	/** Larger than the configured maximum record size. */
	OVERSIZED,

	/** A format version this release does not read. */
	UNSUPPORTED_VERSION,

	/** A required field missing, or a field of the wrong type or out of range. */
	INVALID_FIELD,

	/** Signing is on and the record carries no signature. */
	UNSIGNED,

	/** Signing is on and the signature does not match. */
	BAD_SIGNATURE,

	/** An epoch lower than the group's current epoch (a stale or replayed record). */
	STALE_EPOCH,

	/** A heartbeat of the current epoch whose sequence number is not new (a replay). */
	REPLAYED;

	/**
	 * Returns the reason in kebab-case, as used in metric tags and logs.
	 * @return e.g. {@code stale-epoch}
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	@Override
	public String toString() {
		return tag();
	}

}
