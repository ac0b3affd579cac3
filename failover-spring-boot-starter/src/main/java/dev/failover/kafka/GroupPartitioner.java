package dev.failover.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the one partition that carries a group's records, from the group name alone, so
 * that records with different keys (the group's and its members') stay in one ordered log.
 * <p>
 * The topic's partition count is looked up once and then kept for the life of the
 * transport: every instance must agree on the partition, so adding partitions to a live
 * topic is reported, never followed.
 */
final class GroupPartitioner {

	private static final Logger logger = LoggerFactory.getLogger(GroupPartitioner.class);

	private final String topic;

	private final AtomicInteger partitionCount = new AtomicInteger();

	GroupPartitioner(String topic) {
		this.topic = topic;
	}

	/**
	 * Returns the partition of a group: Kafka's default partitioner's choice for a record
	 * keyed by the group name (murmur2 of its UTF-8 bytes, modulo the partition count).
	 * @param group the group
	 * @param partitionCount the topic's partition count
	 * @return the partition number
	 */
	static int partitionFor(String group, int partitionCount) {
		if (partitionCount < 1) {
			throw new IllegalArgumentException("partitionCount (" + partitionCount + ") must be at least 1");
		}
		return Utils.toPositive(Utils.murmur2(group.getBytes(StandardCharsets.UTF_8))) % partitionCount;
	}

	/**
	 * Returns the partition of a group, looking up the partition count the first time.
	 * @param group the group
	 * @param lookup the client's {@code partitionsFor} (may block, may throw)
	 * @return the partition
	 */
	TopicPartition partitionOf(String group, Function<String, List<PartitionInfo>> lookup) {
		int count = this.partitionCount.get();
		if (count == 0) {
			count = remember(lookupCount(lookup));
		}
		return new TopicPartition(this.topic, partitionFor(group, count));
	}

	/**
	 * Remembers the partition count, unless one is already known.
	 * @param count the count just learned
	 * @return the count in use
	 */
	int remember(int count) {
		if (this.partitionCount.compareAndSet(0, count)) {
			return count;
		}
		int known = this.partitionCount.get();
		if (known != count) {
			reportChange(known, count);
		}
		return known;
	}

	/**
	 * Checks that the topic still has the partition count in use, and reports if not.
	 * @param lookup the client's {@code partitionsFor}
	 * @return {@code true} if the count is unchanged (or not known yet)
	 */
	boolean check(Function<String, List<PartitionInfo>> lookup) {
		int known = this.partitionCount.get();
		int current = lookupCount(lookup);
		if (known != 0 && known != current) {
			reportChange(known, current);
			return false;
		}
		return true;
	}

	private int lookupCount(Function<String, List<PartitionInfo>> lookup) {
		List<PartitionInfo> partitions = lookup.apply(this.topic);
		if (partitions == null || partitions.isEmpty()) {
			throw new IllegalStateException("Failover topic '" + this.topic + "' does not exist (create it, or let "
					+ "the transport create it with ensureTopic())");
		}
		return partitions.size();
	}

	private void reportChange(int known, int current) {
		logger.error("Failover topic '{}' now has {} partitions but this process started with {}: instances started "
				+ "since then may choose another partition for a group, and then see a different log. Restart every "
				+ "instance; never add partitions to the failover topic while it is in use", this.topic, current,
				known);
	}

}
