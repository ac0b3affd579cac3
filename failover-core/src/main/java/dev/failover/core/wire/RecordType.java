package dev.failover.core.wire;

/**
 * The kinds of record in a group's log.
 */
public enum RecordType {

	/** The primary is alive; renews its lease and resets the secondaries' silence timers. */
	HEARTBEAT,

	/** A secondary asks for the next epoch; the first valid claim wins. */
	CLAIM,

	/** The primary leaves on purpose; secondaries claim at once. */
	SHUTDOWN,

	/** A secondary is present (or leaving); feeds the members view and claim order. */
	STANDBY

}
