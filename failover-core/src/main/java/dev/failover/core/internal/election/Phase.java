package dev.failover.core.internal.election;

/**
 * Where a member is in its life and in the election, with the moves it may make: the one
 * table of legal transitions ({@link #canMoveTo}).
 */
public enum Phase {

	/** Not reading the log: before start, or failover never enabled (static role). */
	OFFLINE,

	/** Reading the log's history (or a replaced log's); takes no action until caught up. */
	JOINING,

	/** Caught up and standing by. */
	SECONDARY,

	/** A claim has been written; waiting to read it back. */
	CLAIMING,

	/** Won an epoch; heartbeating while the promote callback runs. Not yet primary. */
	PROMOTING,

	/** Primary (as long as the lease lasts). */
	PRIMARY,

	/** Closed for good. */
	CLOSED;

	/**
	 * Returns whether a member in this phase may move to another: the table of legal moves.
	 * @param target the other phase
	 * @return {@code true} if the move is legal
	 */
	public boolean canMoveTo(Phase target) {
		if (target == CLOSED) {
			return this != CLOSED;
		}
		return switch (this) {
			case OFFLINE -> target == JOINING;
			// caught up
			case JOINING -> target == SECONDARY;
			// a replaced log to catch up with; a claim; a grant taken
			case SECONDARY -> target == JOINING || target == CLAIMING || target == PROMOTING;
			// lost, given up or failed; won, or a grant taken while claiming
			case CLAIMING -> target == SECONDARY || target == PROMOTING;
			// the callback returned; lost, failed or stepped down
			case PROMOTING -> target == PRIMARY || target == SECONDARY;
			case PRIMARY -> target == SECONDARY;
			case CLOSED -> false;
		};
	}

	/**
	 * Returns whether a member in this phase acts for the group: it won an epoch and holds
	 * its lease (promoting or primary).
	 * @return {@code true} if acting
	 */
	public boolean isActing() {
		return this == PROMOTING || this == PRIMARY;
	}

	/**
	 * Returns whether a member in this phase has read the log up to its end at least once
	 * (and not lost it since).
	 * @return {@code true} if caught up
	 */
	public boolean isCaughtUp() {
		return this == SECONDARY || this == CLAIMING || this == PROMOTING || this == PRIMARY;
	}

}
