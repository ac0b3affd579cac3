package dev.failover.cluster;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The result of a {@link LedgerCheck}: what the ledger holds and which rules it breaks.
 *
 * @param records how many records were checked (including unreadable ones)
 * @param writers the instances that wrote, sorted
 * @param epochs the epochs that appear, in ascending order
 * @param perEpoch one summary per epoch, in ascending order
 * @param violationCount how many violations were found
 * @param violations the first violations (at most {@link LedgerCheck#MAX_REPORTED}), each
 * naming the offset
 */
public record LedgerReport(long records, SortedSet<String> writers, SortedSet<Long> epochs, List<EpochSummary> perEpoch,
		long violationCount, List<String> violations) {

	public LedgerReport {
		writers = new TreeSet<>(writers);
		epochs = new TreeSet<>(epochs);
		perEpoch = List.copyOf(perEpoch);
		violations = List.copyOf(violations);
	}

	/**
	 * Returns whether the ledger breaks no rule.
	 * @return {@code true} without violations
	 */
	public boolean ok() {
		return this.violationCount == 0;
	}

	/**
	 * Returns the summary of one epoch.
	 * @param epoch the epoch
	 * @return the summary, or {@code null} if no record carries it
	 */
	public EpochSummary epoch(long epoch) {
		return this.perEpoch.stream().filter((summary) -> summary.epoch() == epoch).findFirst().orElse(null);
	}

	/**
	 * Describes the counts in one line, such as {@code 312 records, 3 writers, 3 epochs, 0 violations}.
	 * @return the description
	 */
	public String describe() {
		return this.records + " records, " + this.writers.size() + " writers, " + this.epochs.size() + " epochs, "
				+ this.violationCount + " violations";
	}

}
