package dev.failover.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.failover.internal.FailoverLifecycle;

/**
 * Follows the end of the ledger topic (committed records only), for the status page.
 */
@Component
public class LedgerTail implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(LedgerTail.class);

	private final KafkaProperties kafkaProperties;

	private final LedgerProperties ledger;

	private final Deque<String> tail = new ArrayDeque<>();

	private volatile KafkaConsumer<byte[], byte[]> consumer;

	private volatile Thread thread;

	private volatile boolean running;

	public LedgerTail(KafkaProperties kafkaProperties, LedgerProperties ledger) {
		this.kafkaProperties = kafkaProperties;
		this.ledger = ledger;
	}

	/**
	 * Returns the latest committed ledger records, oldest first.
	 * @return the records as JSON strings
	 */
	public synchronized List<String> latest() {
		return List.copyOf(this.tail);
	}

	@Override
	public void start() {
		Map<String, Object> config = new HashMap<>(this.kafkaProperties.buildConsumerProperties());
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		this.consumer = new KafkaConsumer<>(config);
		this.running = true;
		this.thread = new Thread(this::follow, "ledger-tail");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void follow() {
		TopicPartition partition = new TopicPartition(this.ledger.getTopic(), 0);
		KafkaConsumer<byte[], byte[]> current = this.consumer;
		try {
			current.assign(List.of(partition));
			Long end = current.endOffsets(Set.of(partition), Duration.ofSeconds(30)).get(partition);
			current.seek(partition, Math.max(0, ((end != null) ? end : 0) - this.ledger.getTail()));
			while (this.running) {
				for (ConsumerRecord<byte[], byte[]> record : current.poll(Duration.ofMillis(500))) {
					add(new String(record.value(), StandardCharsets.UTF_8));
				}
			}
		}
		catch (WakeupException ex) {
			// stopping
		}
		catch (RuntimeException ex) {
			if (this.running) {
				logger.warn("Ledger tail stopped: {}", ex.toString());
			}
		}
		finally {
			current.close(Duration.ofSeconds(1));
		}
	}

	private synchronized void add(String record) {
		this.tail.addLast(record);
		while (this.tail.size() > this.ledger.getTail()) {
			this.tail.removeFirst();
		}
	}

	@Override
	public void stop() {
		this.running = false;
		KafkaConsumer<byte[], byte[]> current = this.consumer;
		if (current != null) {
			current.wakeup();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops after the failover lifecycle, as Kafka listener containers do: on shutdown the
	 * primary hands over first, and closing this reader does not compete with the handover.
	 * @return a phase below {@link FailoverLifecycle#PHASE}
	 */
	@Override
	public int getPhase() {
		return FailoverLifecycle.PHASE - 1;
	}

}
