package dev.failover.core.internal.election;

import java.util.random.RandomGenerator;

import dev.failover.core.FailoverConfig;

/**
 * Every duration the election derives from the configuration, in one place, in nanoseconds.
 * With the defaults (interval {@code i} = 5 s, timeout {@code T} = 15 s, margin {@code m} =
 * {@code T / 5} = 3 s) and, in brackets, at 1 s / 3 s (margin 600 ms):
 * <table>
 * <caption>The derived timings</caption>
 * <tr><th>timing</th><th>rule</th><th>value</th></tr>
 * <tr><td>{@link #lease}</td><td>{@code T − m}: how long a primary may act after sending a heartbeat it read back</td>
 * <td>12 s (2.4 s)</td></tr>
 * <tr><td>{@link #freshness}</td><td>{@code max(2i, 250 ms)}: how recently a member must have read back one of
 * its own records to claim</td><td>10 s (2 s)</td></tr>
 * <tr><td>{@link #progress}</td><td>{@code max(i, 10 ms)}: how often the transport confirms the end of the log</td>
 * <td>5 s (1 s)</td></tr>
 * <tr><td>{@link #grantLease}</td><td>{@code min(1.5i, lease)}: how long a successor may act on a handover grant
 * alone, from its last confirmed view</td><td>7.5 s (1.5 s)</td></tr>
 * <tr><td>{@link #handover}</td><td>{@code grantLease + m}: how long the others wait for a granted successor's first
 * heartbeat</td><td>10.5 s (2.1 s)</td></tr>
 * <tr><td>{@link #takeoverWait}</td><td>{@code min(i, shutdownTimeout / 2)}: how long a leaving primary waits to see
 * its successor take over</td><td>2.5 s (1 s), with the 5 s shutdown timeout</td></tr>
 * <tr><td>{@link #memberLive}</td><td>{@code 2i}: a member not heard from for longer is no candidate</td>
 * <td>10 s (2 s)</td></tr>
 * <tr><td>{@link #memberForget}</td><td>{@code 3T}: a member not heard from for longer is forgotten</td>
 * <td>45 s (9 s)</td></tr>
 * <tr><td>{@link #maxUnverifiedLease}</td><td>{@code 10T}: the longest lease an unverifiable record is believed
 * to announce</td><td>150 s (30 s)</td></tr>
 * </table>
 * A secondary claims after the longer of {@code T} and the lease its primary announced plus
 * {@code m} of silence; the safety argument in docs/PROTOCOL.md rests on {@code lease < T}.
 */
public final class Timings {

	/** The heartbeat interval. */
	public final long interval;

	/** The heartbeat timeout. */
	public final long timeout;

	/** The lease margin. */
	public final long margin;

	/** The primary's lease: the timeout minus the margin. */
	public final long lease;

	/** How often the transport reports progress (the end of the log). */
	public final long progress;

	/** How recently a member must have confirmed its view of the log to claim. */
	public final long freshness;

	/** How long a granted successor may act on the grant alone. */
	public final long grantLease;

	/** How long the others wait for a granted successor's first heartbeat. */
	public final long handover;

	/** How long a leaving primary waits to see its successor take over. */
	public final long takeoverWait;

	/** How long a member counts as a live candidate after its last record. */
	public final long memberLive;

	/** How long a member is remembered after its last record. */
	public final long memberForget;

	/** The longest lease believed of a record that could not be verified. */
	public final long maxUnverifiedLease;

	/** The shortest claim back-off. */
	public final long backoffMin;

	/** The longest claim back-off. */
	public final long backoffMax;

	/** How much later each less preferred candidate claims. */
	public final long stagger;

	/** How long a repeated warning is suppressed. */
	public final long warningWindow = 10_000_000_000L;

	/** How far above the known epochs an unverifiable record may move them. */
	public static final long MAX_UNVERIFIED_EPOCH_JUMP = 1_000_000L;

	private Timings(FailoverConfig config) {
		this.interval = config.heartbeatInterval().toNanos();
		this.timeout = config.heartbeatTimeout().toNanos();
		this.margin = config.leaseMargin().toNanos();
		this.lease = config.lease().toNanos();
		// the view of the log is confirmed by reading back this instance's own records, one per
		// interval; the transport's own confirmation is a fallback (and how a joiner catches up),
		// needed no more often than that
		this.progress = Math.max(10_000_000L, this.interval);
		// two intervals cover one missed or late confirmation; the floor keeps a short interval
		// from demanding more than a broker round trip can give under load
		this.freshness = Math.max(250_000_000L, 2 * this.interval);
		// the successor's grant lease runs from a moment before the grant was written (its last
		// confirmed view, at most about an interval old, so half an interval is left at least);
		// the others wait that plus the margin, so the grant lease always ends first, and they
		// never wait longer than for a silent primary
		this.grantLease = grantLease(this.interval, this.lease);
		this.handover = this.grantLease + this.margin;
		// a granted successor takes over within milliseconds; waiting longer would only delay
		// the shutdown, and the others replace a successor that does not take over anyway
		this.takeoverWait = Math.min(this.interval, config.shutdownTimeout().toNanos() / 2);
		this.memberLive = 2 * this.interval;
		this.memberForget = 3 * this.timeout;
		this.maxUnverifiedLease = 10 * this.timeout;
		this.backoffMin = config.claimBackoffMin().toNanos();
		this.backoffMax = config.claimBackoffMax().toNanos();
		this.stagger = config.claimStagger().toNanos();
	}

	/**
	 * Derives the timings of a configuration.
	 * @param config the configuration
	 * @return its timings
	 */
	public static Timings of(FailoverConfig config) {
		return new Timings(config);
	}

	/**
	 * Returns the grant lease of a member with the given settings: {@code min(1.5 × interval, lease)}.
	 * @param interval its heartbeat interval
	 * @param lease its lease
	 * @return its grant lease
	 */
	static long grantLease(long interval, long lease) {
		return Math.min(interval + interval / 2, lease);
	}

	/**
	 * Returns how long a member waits, after the primary's last sign of life, before it claims:
	 * its own timeout, or the primary's announced lease plus its own margin if that is longer
	 * (a member with other settings during a rolling change).
	 * @param announcedLeaseMillis the lease the primary announced, 0 if none
	 * @return the silence to wait out
	 */
	long silence(long announcedLeaseMillis) {
		return Math.max(this.timeout, announcedLeaseMillis * 1_000_000L + this.margin);
	}

	/**
	 * Returns how long nobody claims after the log was found replaced: a silent primary's
	 * timeout, the primary's announced lease plus the margin, or the longest lease an
	 * unverifiable record announced.
	 * @param announcedLeaseMillis the lease the primary of the replaced log announced, 0 if none
	 * @param unverifiedLease the longest lease announced by unverifiable records
	 * @return the wait
	 */
	long replacedWait(long announcedLeaseMillis, long unverifiedLease) {
		return Math.max(silence(announcedLeaseMillis), unverifiedLease);
	}

	/**
	 * Returns the lease an unverifiable record is believed to announce, plus the margin, capped.
	 * @param leaseMillis the lease the record announces
	 * @return the lease to wait out
	 */
	long unverifiedLease(long leaseMillis) {
		return Math.min(leaseMillis * 1_000_000L + this.margin, this.maxUnverifiedLease);
	}

	/**
	 * Returns a jittered back-off after a number of failures in a row: up to twice the one
	 * before, between half the ceiling and the ceiling, never below the minimum.
	 * @param failures the failures in a row, at least 1
	 * @param random where the jitter comes from
	 * @return the back-off
	 */
	long backoff(int failures, RandomGenerator random) {
		long ceiling = Math.min(this.backoffMax, this.backoffMin << Math.min(failures - 1, 20));
		long delay = ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2.0));
		return Math.max(this.backoffMin, delay);
	}

}
