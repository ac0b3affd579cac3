package dev.failover.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.failover.core.internal.election.ElectionCounters;


/**
 * Live counters of one watcher, safe to read from any thread (for metrics).
 */
public final class WatcherStats {

	private final LongAdder heartbeatsSent = new LongAdder();

	private final LongAdder heartbeatsReceived = new LongAdder();

	private final LongAdder claimsSent = new LongAdder();

	private final LongAdder claimsWon = new LongAdder();

	private final LongAdder promotions = new LongAdder();

	private final LongAdder demotions = new LongAdder();

	private final LongAdder publishFailures = new LongAdder();

	private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);

	WatcherStats() {
		for (RejectReason reason : RejectReason.values()) {
			this.rejected.put(reason, new LongAdder());
		}
	}

	/**
	 * Returns the number of heartbeats this instance sent as primary.
	 * @return the count
	 */
	public long heartbeatsSent() {
		return this.heartbeatsSent.sum();
	}

	/**
	 * Returns the number of heartbeats of other primaries this instance read.
	 * @return the count
	 */
	public long heartbeatsReceived() {
		return this.heartbeatsReceived.sum();
	}

	/**
	 * Returns the number of claims this instance wrote.
	 * @return the count
	 */
	public long claimsSent() {
		return this.claimsSent.sum();
	}

	/**
	 * Returns the number of claims of this instance that won an epoch.
	 * @return the count
	 */
	public long claimsWon() {
		return this.claimsWon.sum();
	}

	/**
	 * Returns how often this instance became primary.
	 * @return the count
	 */
	public long promotions() {
		return this.promotions.sum();
	}

	/**
	 * Returns how often this instance stopped being primary.
	 * @return the count
	 */
	public long demotions() {
		return this.demotions.sum();
	}

	/**
	 * Returns the number of records this instance failed to write.
	 * @return the count
	 */
	public long publishFailures() {
		return this.publishFailures.sum();
	}

	/**
	 * Returns the number of records ignored for one reason.
	 * @param reason the reason
	 * @return the count
	 */
	public long rejected(RejectReason reason) {
		return this.rejected.get(reason).sum();
	}

	/**
	 * Returns the number of records ignored for any reason.
	 * @return the count
	 */
	public long rejectedTotal() {
		long total = 0;
		for (LongAdder adder : this.rejected.values()) {
			total += adder.sum();
		}
		return total;
	}

	void heartbeatSent() {
		this.heartbeatsSent.increment();
	}

	void heartbeatReceived() {
		this.heartbeatsReceived.increment();
	}

	void claimSent() {
		this.claimsSent.increment();
	}

	void claimWon() {
		this.claimsWon.increment();
	}

	void promoted() {
		this.promotions.increment();
	}

	void demoted() {
		this.demotions.increment();
	}

	void publishFailed() {
		this.publishFailures.increment();
	}

	void rejected(RejectReason reason, long count) {
		this.rejected.get(reason).add(count);
	}

	/** Returns these counters as the election counts into them. */
	ElectionCounters counters() {
		return new ElectionCounters() {
			@Override
			public void heartbeatSent() {
				WatcherStats.this.heartbeatSent();
			}

			@Override
			public void heartbeatReceived() {
				WatcherStats.this.heartbeatReceived();
			}

			@Override
			public void claimSent() {
				WatcherStats.this.claimSent();
			}

			@Override
			public void claimWon() {
				WatcherStats.this.claimWon();
			}

			@Override
			public void promoted() {
				WatcherStats.this.promoted();
			}

			@Override
			public void demoted() {
				WatcherStats.this.demoted();
			}

			@Override
			public void rejected(RejectReason reason) {
				WatcherStats.this.rejected(reason, 1);
			}
		};
	}

	@Override
	public String toString() {
		return "WatcherStats[sent=" + heartbeatsSent() + ", received=" + heartbeatsReceived() + ", claims=" + claimsSent()
				+ ", won=" + claimsWon() + ", rejected=" + rejectedTotal() + "]";
	}

}
