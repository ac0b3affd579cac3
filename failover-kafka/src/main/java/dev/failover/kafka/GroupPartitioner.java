package dev.failover.kafka;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the one partition that carries the records of every group of a transport: partition
 * 0 of the topic, or the partition the options configure.
 * <p>
 * The partition never depends on the topic's partition count: a group chosen by hashing
 * would move to another partition when partitions are added, and an instance started after
 * that would read a different log than the ones started before, and could become a second
 * primary. So adding partitions is harmless (and reported once, at INFO); only a configured
 * partition that the topic does not have is an error.
 */
final class GroupPartitioner {

	private static final Logger logger = LoggerFactory.getLogger(GroupPartitioner.class);

	private final TopicPartition partition;

	private final String bootstrapServers;

	private final AtomicInteger partitionCount = new AtomicInteger();

	GroupPartitioner(String topic, int partition, String bootstrapServers) {
		if (partition < 0) {
			throw new IllegalArgumentException("partition (" + partition + ") must not be negative");
		}
		this.partition = new TopicPartition(topic, partition);
		this.bootstrapServers = bootstrapServers;
	}

	/**
	 * Returns the partition of every group.
	 * @return the partition
	 */
	TopicPartition partition() {
		return this.partition;
	}

	/**
	 * Checks that the topic has the partition, and reports a change of the partition count
	 * once (the first count seen is only remembered).
	 * @param count the topic's partition count, as just described by the broker
	 * @throws KafkaTransportException if the topic has no such partition
	 */
	void check(int count) {
		if (this.partition.partition() >= count) {
			throw new KafkaTransportException(this.partition.topic(), this.bootstrapServers, "Failover topic '"
					+ this.partition.topic() + "' has " + count + " partition(s), so the configured partition "
					+ this.partition.partition() + " (failover.kafka.partition) does not exist. Set "
					+ "failover.kafka.partition to a partition of the topic (0 to " + (count - 1)
					+ "; every instance of a group must use the same one), or add partitions to the topic.", null);
		}
		int known = this.partitionCount.getAndSet(count);
		if (known != 0 && known != count) {
			logger.info("Failover topic '{}' now has {} partitions (it had {}); failover keeps using partition {}, "
					+ "so the change is harmless", this.partition.topic(), count, known, this.partition.partition());
		}
	}

}
