package dev.failover.bench.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.failover.bench.HeartbeatLog;

/**
 * Direct access to the sample group's partition of the heartbeat topic, as an attacker or
 * a buggy neighbour would have it: write any bytes under the group's key, and read back
 * what is there (to replay it).
 * <p>
 * The partition is the one every instance reads: Kafka's default choice for the key
 * {@value #GROUP}, which is how the Kafka transport places a group's records.
 */
final class HeartbeatTopic implements AutoCloseable {

	static final String TOPIC = HeartbeatLog.TOPIC;

	static final String GROUP = "failover-sample";

	/** Large enough for the 1 MiB record and its batch overhead. */
	static final int MAX_REQUEST = 4 * 1024 * 1024;

	private final String bootstrapServers;

	private final KafkaProducer<byte[], byte[]> producer;

	private final TopicPartition partition;

	HeartbeatTopic(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST,
				ProducerConfig.CLIENT_ID_CONFIG, "fault-suite-writer", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				ByteArraySerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
		this.partition = HeartbeatLog.partitionOf(GROUP, this.producer.partitionsFor(TOPIC).size());
	}

	/**
	 * Appends a record under the group's key to the group's partition and waits until the
	 * broker has it.
	 * @param value the value
	 * @return its offset
	 */
	long write(byte[] value) {
		try {
			return this.producer.send(new ProducerRecord<>(TOPIC, this.partition.partition(),
					GROUP.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS).offset();
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Cannot write to " + this.partition + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while writing to " + this.partition, ex);
		}
	}

	/**
	 * Reads every record of the partition that is there now.
	 * @return the values of records keyed by the group, in offset order
	 */
	List<byte[]> readAll() {
		return HeartbeatLog.tail(this.bootstrapServers, GROUP, Long.MAX_VALUE / 2)
			.stream()
			.filter((entry) -> GROUP.equals(entry.key()) && entry.value() != null)
			.map(HeartbeatLog.Entry::value)
			.toList();
	}

	@Override
	public void close() {
		this.producer.close(Duration.ofSeconds(5));
	}

}
