package dev.failover.bench.faults;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.failover.bench.InstanceHttp;
import dev.failover.core.RejectReason;
import dev.failover.cluster.SampleInstance;

/**
 * An instance's {@code failover.records.rejected} counters, one per reason, as its metrics
 * endpoint reports them.
 *
 * @param counts reason to count
 */
record RejectedCounts(Map<RejectReason, Long> counts) {

	RejectedCounts {
		counts = Map.copyOf(counts);
	}

	/**
	 * Reads every counter of an instance.
	 * @param instance the instance
	 * @return the counts
	 */
	static RejectedCounts of(SampleInstance instance) {
		Map<RejectReason, Long> counts = new EnumMap<>(RejectReason.class);
		for (RejectReason reason : RejectReason.values()) {
			counts.put(reason, InstanceHttp.rejected(instance, reason));
		}
		return new RejectedCounts(counts);
	}

	/**
	 * Counts how many records are expected under each reason.
	 * @param records the records written
	 * @return the expected increase per reason
	 */
	static RejectedCounts expected(List<HostileRecord> records) {
		Map<RejectReason, Long> counts = new EnumMap<>(RejectReason.class);
		for (RejectReason reason : RejectReason.values()) {
			counts.put(reason, 0L);
		}
		records.forEach((record) -> counts.merge(record.expected(), 1L, Long::sum));
		return new RejectedCounts(counts);
	}

	/**
	 * Returns the increase since an earlier reading.
	 * @param before the earlier reading
	 * @return the difference per reason
	 */
	RejectedCounts minus(RejectedCounts before) {
		Map<RejectReason, Long> delta = new EnumMap<>(RejectReason.class);
		this.counts.forEach((reason, count) -> delta.put(reason, count - before.counts.getOrDefault(reason, 0L)));
		return new RejectedCounts(delta);
	}

	long total() {
		return this.counts.values().stream().mapToLong(Long::longValue).sum();
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		for (RejectReason reason : RejectReason.values()) {
			long count = this.counts.getOrDefault(reason, 0L);
			if (count != 0) {
				text.append((text.length() > 0) ? ", " : "").append(reason.tag()).append(' ').append(count);
			}
		}
		return (text.length() > 0) ? text.toString() : "none";
	}

}
