package dev.failover.cluster;

/**
 * The ledger records of one epoch.
 *
 * @param epoch the epoch
 * @param writer the instance that wrote the epoch's first record
 * @param records how many records carry the epoch
 * @param firstOffset the offset of the first
 * @param lastOffset the offset of the last
 */
public record EpochSummary(long epoch, String writer, long records, long firstOffset, long lastOffset) {

	EpochSummary plus(long offset) {
		return new EpochSummary(this.epoch, this.writer, this.records + 1, this.firstOffset, offset);
	}

}
