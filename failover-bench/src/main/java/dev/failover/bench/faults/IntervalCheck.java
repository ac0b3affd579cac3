package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.failover.cluster.RoleLogEntry;

/**
 * Turns role logs and the harness's process history into primary intervals, and checks the
 * two safety rules on them: never two primaries at once, and epochs only go up.
 * <p>
 * An interval opens at a promotion's {@code at} and closes at the next demotion's {@code at}
 * (for a lapsed lease, the lease's end, which may lie well before the instance noticed), or,
 * if the process died without a demotion (SIGKILL), at the end of that process's run as the
 * harness recorded it. All instances run on one machine, so their wall clocks are the same
 * clock and the intervals can be compared directly.
 */
final class IntervalCheck {

	private final List<PrimaryInterval> intervals = new ArrayList<>();

	private final List<String> violations = new ArrayList<>();

	private IntervalCheck() {
	}

	/**
	 * Builds the intervals and checks them.
	 * @param roleLogs each instance's role log entries, in the order written
	 * @param history the harness's record of every process run
	 * @param now the instant that ends intervals still open in running processes
	 * @return the check
	 */
	static IntervalCheck of(Map<String, List<RoleLogEntry>> roleLogs, ProcessHistory history, Instant now) {
		IntervalCheck check = new IntervalCheck();
		roleLogs.forEach((id, entries) -> check.build(id, entries, history, now));
		check.intervals.sort(Comparator.comparing(PrimaryInterval::start));
		check.checkOverlaps();
		check.checkEpochs();
		return check;
	}

	private void build(String id, List<RoleLogEntry> entries, ProcessHistory history, Instant now) {
		RoleLogEntry open = null;
		long lastEpoch = Long.MIN_VALUE;
		for (RoleLogEntry entry : entries) {
			if (entry.epoch() < lastEpoch) {
				this.violations.add("'" + id + "' logged epoch " + entry.epoch() + " (" + entry.cause() + ") after epoch "
						+ lastEpoch + ": its epochs went down");
			}
			lastEpoch = Math.max(lastEpoch, entry.epoch());
			if (entry.isPromotion()) {
				if (open != null) {
					// no demotion in between: the process must have died while primary
					close(id, open, endOfRun(id, open, history, entry.at()), history);
				}
				open = entry;
			}
			else if (open != null) {
				if (entry.epoch() != open.epoch()) {
					this.violations.add("'" + id + "' was promoted at epoch " + open.epoch() + " but demoted at epoch "
							+ entry.epoch());
				}
				this.intervals.add(new PrimaryInterval(id, open.epoch(), open.at(), entry.at(), entry.cause()));
				open = null;
			}
		}
		if (open != null) {
			close(id, open, endOfRun(id, open, history, now), history);
		}
	}

	private void close(String id, RoleLogEntry open, Instant end, ProcessHistory history) {
		String endedBy = history.runAt(id, open.at())
			.map((run) -> (run.ending() != null) ? run.ending().name().toLowerCase() : "still running")
			.orElse("unknown");
		if ("killed".equals(endedBy)) {
			endedBy = "SIGKILL";
		}
		this.intervals.add(new PrimaryInterval(id, open.epoch(), open.at(), end, endedBy));
	}

	private Instant endOfRun(String id, RoleLogEntry open, ProcessHistory history, Instant fallback) {
		Optional<ProcessHistory.Run> run = history.runAt(id, open.at());
		if (run.isEmpty()) {
			this.violations.add("'" + id + "' logged a promotion at " + open.at()
					+ " outside every run the harness started");
			return fallback;
		}
		return (run.get().end() != null) ? run.get().end() : fallback;
	}

	private void checkOverlaps() {
		for (int i = 0; i < this.intervals.size(); i++) {
			for (int j = i + 1; j < this.intervals.size(); j++) {
				PrimaryInterval a = this.intervals.get(i);
				PrimaryInterval b = this.intervals.get(j);
				if (a.overlaps(b)) {
					this.violations.add("two primaries at once: " + a + " and " + b + " overlap by "
							+ Duration.between(b.start(), a.end().isBefore(b.end()) ? a.end() : b.end()).toNanos() / 1000
							+ " us");
				}
			}
		}
	}

	private void checkEpochs() {
		for (int i = 1; i < this.intervals.size(); i++) {
			PrimaryInterval previous = this.intervals.get(i - 1);
			PrimaryInterval next = this.intervals.get(i);
			if (next.epoch() <= previous.epoch()) {
				this.violations.add("epochs did not go up: " + next + " began after " + previous);
			}
		}
	}

	/**
	 * Returns the primary intervals, by start.
	 * @return the intervals
	 */
	List<PrimaryInterval> intervals() {
		return List.copyOf(this.intervals);
	}

	/**
	 * Returns the violations found.
	 * @return the violations, empty if both rules held
	 */
	List<String> violations() {
		return List.copyOf(this.violations);
	}

	/**
	 * Returns the shortest time between one primary's end and the next one's start: how
	 * much room the protocol left.
	 * @return the smallest gap, or empty with fewer than two intervals
	 */
	Optional<Duration> smallestGap() {
		Duration smallest = null;
		for (int i = 1; i < this.intervals.size(); i++) {
			Duration gap = Duration.between(this.intervals.get(i - 1).end(), this.intervals.get(i).start());
			if (smallest == null || gap.compareTo(smallest) < 0) {
				smallest = gap;
			}
		}
		return Optional.ofNullable(smallest);
	}

}
