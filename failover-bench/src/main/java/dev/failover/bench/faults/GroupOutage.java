package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a fault cost the group, from its primary intervals: how many promotions (failovers)
 * began after the fault, and the longest stretch without any primary since it.
 * <p>
 * The stretch is measured between intervals as the role logs date them: from a primary's
 * demotion (for a lapsed lease, the lease's end) to the next promotion. It is therefore
 * shorter than a recovery measured from the fault, which also counts the time the old primary
 * still held its lease.
 *
 * @param failovers promotions that began after the fault
 * @param longestWithoutPrimary the longest time without a primary, zero if there was always one
 * @param detail which intervals bound that stretch, relative to the fault
 */
record GroupOutage(int failovers, Duration longestWithoutPrimary, String detail) {

	/**
	 * Measures the outage.
	 * @param intervals the primary intervals, from {@link FaultRun#primaryIntervals()}
	 * @param from the fault; the group must have had a primary then
	 * @return the outage
	 */
	static GroupOutage since(List<PrimaryInterval> intervals, Instant from) {
		List<PrimaryInterval> sorted = new ArrayList<>(intervals);
		sorted.sort(Comparator.comparing(PrimaryInterval::start));
		int failovers = (int) sorted.stream().filter((interval) -> interval.start().isAfter(from)).count();
		Instant covered = from;
		PrimaryInterval coveredBy = null;
		Duration longest = Duration.ZERO;
		String detail = "a primary throughout";
		for (PrimaryInterval interval : sorted) {
			if (!interval.end().isAfter(from)) {
				continue;
			}
			if (interval.start().isAfter(covered)) {
				Duration gap = Duration.between(covered, interval.start());
				if (gap.compareTo(longest) > 0) {
					longest = gap;
					detail = "from " + describeEnd(coveredBy, from) + " to " + offset(from, interval.start()) + " ('"
							+ interval.instanceId() + "' promoted at epoch " + interval.epoch() + ")";
				}
			}
			if (interval.end().isAfter(covered)) {
				covered = interval.end();
				coveredBy = interval;
			}
		}
		return new GroupOutage(failovers, longest, detail);
	}

	private static String describeEnd(PrimaryInterval interval, Instant from) {
		if (interval == null) {
			return "the fault";
		}
		return offset(from, interval.end()) + " ('" + interval.instanceId() + "' epoch " + interval.epoch() + " ended: "
				+ interval.endedBy() + ")";
	}

	private static String offset(Instant from, Instant at) {
		return String.format(Locale.ROOT, "%+.2f s", Duration.between(from, at).toMillis() / 1000.0);
	}

	@Override
	public String toString() {
		String failoverCount = this.failovers + ((this.failovers == 1) ? " failover" : " failovers");
		if (this.longestWithoutPrimary.isZero()) {
			return failoverCount + ", never without a primary";
		}
		return failoverCount + ", longest without a primary " + SummaryTable.duration(this.longestWithoutPrimary) + " ("
				+ this.detail + ")";
	}

}
