package dev.failover.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads a group's partition of the heartbeat topic as it is: every record with its offset,
 * key, value and the broker's timestamp (the starter creates the topic with
 * {@code LogAppendTime}, so the timestamp is when the broker appended the record).
 */
public final class HeartbeatLog {

	/** The starter's default topic. */
	public static final String TOPIC = "failover-heartbeats";

	/** Large enough for any record the suite writes. */
	private static final int MAX_FETCH = 8 * 1024 * 1024;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private HeartbeatLog() {
	}

	/**
	 * Returns the partition of a group: Kafka's default choice for the group name as key,
	 * which is how the Kafka transport places a group's records.
	 * @param group the group
	 * @param partitions the topic's partition count
	 * @return the partition
	 */
	public static TopicPartition partitionOf(String group, int partitions) {
		return new TopicPartition(TOPIC, Utils.toPositive(Utils.murmur2(group.getBytes(StandardCharsets.UTF_8))) % partitions);
	}

	/**
	 * Returns how many records the topic holds up to its end, over every partition: the
	 * difference between two calls is how many were written in between.
	 * @param bootstrapServers the broker
	 * @return the sum of the partitions' end offsets
	 */
	public static long endOffsetSum(String bootstrapServers) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.CLIENT_ID_CONFIG, "benchmark-offsets", ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				ByteArrayDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
			Set<TopicPartition> partitions = Set.copyOf(consumer.partitionsFor(TOPIC, TIMEOUT)
				.stream()
				.map((info) -> new TopicPartition(TOPIC, info.partition()))
				.toList());
			return consumer.endOffsets(partitions, TIMEOUT).values().stream().mapToLong(Long::longValue).sum();
		}
	}

	/**
	 * Reads the last records of a group's partition.
	 * @param bootstrapServers the broker
	 * @param group the group
	 * @param last how many records at most, counted back from the end
	 * @return the records, in offset order
	 */
	public static List<Entry> tail(String bootstrapServers, String group, long last) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.CLIENT_ID_CONFIG, "heartbeat-log-reader",
				ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_FETCH, ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_FETCH,
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		List<Entry> entries = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
			TopicPartition partition = partitionOf(group, consumer.partitionsFor(TOPIC, TIMEOUT).size());
			consumer.assign(List.of(partition));
			long end = consumer.endOffsets(Set.of(partition), TIMEOUT).get(partition);
			long begin = consumer.beginningOffsets(Set.of(partition), TIMEOUT).get(partition);
			consumer.seek(partition, Math.max(begin, end - last));
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (consumer.position(partition, TIMEOUT) < end && System.nanoTime() - deadline < 0) {
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					entries.add(new Entry(record.offset(),
							(record.key() != null) ? new String(record.key(), StandardCharsets.UTF_8) : null, record.value(),
							Instant.ofEpochMilli(record.timestamp())));
				}
			}
		}
		return entries;
	}

	/**
	 * One record.
	 *
	 * @param offset its offset
	 * @param key its key, or {@code null}
	 * @param value its value, or {@code null}
	 * @param timestamp the broker's append time (millisecond resolution)
	 */
	public record Entry(long offset, String key, byte[] value, Instant timestamp) {

		/**
		 * Returns the value as text.
		 * @return the text, or empty for a tombstone
		 */
		public String text() {
			return (this.value != null) ? new String(this.value, StandardCharsets.UTF_8) : "";
		}

	}

}
