package dev.failover.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

import dev.failover.testkit.Sleeps;
import dev.failover.cluster.InstanceStatus;

/**
 * Where in the primary's heartbeat cycle each run of a series strikes, spread evenly over
 * the cycle (stratified sampling).
 * <p>
 * How long a crash failover takes, counted from the kill, depends on where in the heartbeat
 * cycle the kill falls: the successor promotes a fixed time after the last heartbeat it read
 * (the timeout plus a claim's round trip), so a kill just after a heartbeat waits almost the
 * whole timeout and a kill just before the next one almost a whole interval less. Striking at
 * random points, as a real crash does, gives a median that is half an interval below that
 * fixed time on average, but from 20 random points it wanders by about a tenth of an
 * interval from one series to the next. This cuts the interval into as many equal slices as
 * there are runs and strikes once in each, at a random point of the slice, the slices taken
 * in random order: the same distribution of phases as random strikes, the median within half
 * a slice of its expected value.
 * <p>
 * The phase is counted from the primary's last lease renewal as its status reports it: the
 * moment it read its own heartbeat back from the log, within a millisecond or two of when
 * the secondaries read it. Heartbeats follow each other one interval after the previous one
 * was sent, so a target one or two intervals ahead is off by at most the event loop's wake-up
 * delay per heartbeat.
 */
final class CyclePhases {

	/** The least time between reading the primary's status and striking. */
	static final Duration LEAD = Duration.ofMillis(200);

	private final Duration interval;

	private final List<Duration> offsets;

	private int next;

	private CyclePhases(Duration interval, List<Duration> offsets) {
		this.interval = interval;
		this.offsets = offsets;
	}

	/**
	 * Plans a series.
	 * @param runs how many runs the series has
	 * @param interval the heartbeat interval
	 * @param random where in each slice, and the slices' order
	 * @return the plan: one offset into the cycle per run, one in each slice
	 */
	static CyclePhases stratified(int runs, Duration interval, Random random) {
		if (runs < 1) {
			throw new IllegalArgumentException("runs must be positive, was " + runs);
		}
		long slice = interval.toNanos() / runs;
		List<Duration> offsets = new ArrayList<>(runs);
		for (int i = 0; i < runs; i++) {
			offsets.add(Duration.ofNanos(i * slice + random.nextLong(slice)));
		}
		Collections.shuffle(offsets, random);
		return new CyclePhases(interval, List.copyOf(offsets));
	}

	/**
	 * The offsets into the cycle, in the order the runs take them.
	 * @return the offsets
	 */
	List<Duration> offsets() {
		return this.offsets;
	}

	/**
	 * Sleeps until the next run's offset after one of the primary's heartbeats, which fall
	 * one planned interval apart.
	 * @param primary the primary's status, read just before
	 * @return the offset this run strikes at
	 */
	Duration awaitNext(InstanceStatus primary) {
		if (this.next >= this.offsets.size()) {
			throw new NoSuchElementException("all " + this.offsets.size() + " phases of this series are used");
		}
		if (primary.lastHeartbeat() == null) {
			throw new IllegalStateException(
					"'" + primary.instanceId() + "' reports no heartbeat, so the heartbeat cycle is unknown");
		}
		Duration offset = this.offsets.get(this.next++);
		Instant now = Instant.now();
		Sleeps.sleep(Duration.between(now, target(primary.lastHeartbeat(), this.interval, offset, now)));
		return offset;
	}

	/**
	 * The first instant at least {@link #LEAD} after {@code now} that lies {@code offset}
	 * after a heartbeat, heartbeats falling every {@code interval} from {@code heartbeat}.
	 * @param heartbeat a heartbeat's time
	 * @param interval the heartbeat interval
	 * @param offset the offset into the cycle, less than the interval
	 * @param now the current time
	 * @return the target
	 */
	static Instant target(Instant heartbeat, Duration interval, Duration offset, Instant now) {
		Instant earliest = now.plus(LEAD);
		Instant first = heartbeat.plus(offset);
		if (!first.isBefore(earliest)) {
			return first;
		}
		long behind = Duration.between(first, earliest).toNanos();
		long cycles = (behind + interval.toNanos() - 1) / interval.toNanos();
		return first.plus(interval.multipliedBy(cycles));
	}

}
