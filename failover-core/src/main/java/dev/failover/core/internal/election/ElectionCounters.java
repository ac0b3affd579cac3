package dev.failover.core.internal.election;

import dev.failover.core.RejectReason;

/**
 * Counts what an {@link Election} does, for metrics. Called on the loop; must not block.
 */
public interface ElectionCounters {

	/** A heartbeat was written. */
	void heartbeatSent();

	/** A heartbeat of the primary was read. */
	void heartbeatReceived();

	/** A claim was written. */
	void claimSent();

	/** A claim of this member won. */
	void claimWon();

	/** This member became primary. */
	void promoted();

	/** This member stopped being primary. */
	void demoted();

	/**
	 * A record was read and ignored.
	 * @param reason why
	 */
	void rejected(RejectReason reason);

}
