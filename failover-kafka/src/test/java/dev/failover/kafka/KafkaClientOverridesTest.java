package dev.failover.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link KafkaClientOverrides}.
 */
class KafkaClientOverridesTest {

	@Test
	void producerOverridesAreSafeAndBoundedByTheDefaultHeartbeatSettings() {
		Map<String, Object> overrides = KafkaClientOverrides.producer(Duration.ofSeconds(5), Duration.ofSeconds(15));
		assertThat(overrides).containsOnly(entry("acks", "all"), entry("enable.idempotence", "true"),
				entry("retries", "2147483647"), entry("max.in.flight.requests.per.connection", "5"),
				entry("linger.ms", "0"), entry("delivery.timeout.ms", "15000"), entry("request.timeout.ms", "7500"),
				entry("max.block.ms", "5000"), entry("key.serializer", ByteArraySerializer.class.getName()),
				entry("value.serializer", ByteArraySerializer.class.getName()));
	}

	@Test
	void producerOverridesFollowAShortTimeout() {
		Map<String, Object> overrides = KafkaClientOverrides.producer(Duration.ofMillis(200), Duration.ofSeconds(1));
		assertThat(overrides).contains(entry("delivery.timeout.ms", "1000"), entry("request.timeout.ms", "500"),
				entry("max.block.ms", "200"));
	}

	@Test
	void producerOverridesPassTheProducersOwnValidation() {
		Map<String, Object> config = new LinkedHashMap<>(Map.of("bootstrap.servers", "127.0.0.1:9092"));
		config.putAll(KafkaClientOverrides.producer(Duration.ofMillis(200), Duration.ofMillis(300)));
		ProducerConfig parsed = new ProducerConfig(config);
		assertThat(parsed.getInt("delivery.timeout.ms")).isGreaterThanOrEqualTo(parsed.getInt("request.timeout.ms"));
	}

	@Test
	void consumerOverridesReadFromTheStartWithoutAGroupAndAskLittleWhileIdle() {
		Map<String, Object> overrides = KafkaClientOverrides.consumer(Duration.ofSeconds(5), Duration.ofSeconds(15));
		assertThat(overrides).containsOnly(entry("enable.auto.commit", "false"), entry("auto.offset.reset", "none"),
				entry("allow.auto.create.topics", "false"), entry("fetch.max.wait.ms", "500"),
				entry("request.timeout.ms", "7500"), entry("default.api.timeout.ms", "15000"),
				entry("metadata.max.age.ms", "7500"), entry("key.deserializer", ByteArrayDeserializer.class.getName()),
				entry("value.deserializer", ByteArrayDeserializer.class.getName()));
		assertThat(KafkaClientOverrides.consumer(Duration.ofMillis(200), Duration.ofSeconds(1)))
			.contains(entry("fetch.max.wait.ms", "100"), entry("request.timeout.ms", "500"));
		assertThat(KafkaClientOverrides.consumer(Duration.ofSeconds(1), Duration.ofSeconds(3)))
			.contains(entry("fetch.max.wait.ms", "500"), entry("request.timeout.ms", "1500"),
					// a leader that hangs is left for the new one within half a timeout
					entry("metadata.max.age.ms", "1500"));
		assertThat(KafkaClientOverrides.consumer(Duration.ofMillis(10), Duration.ofMillis(20)))
			.contains(entry("fetch.max.wait.ms", "10"), entry("request.timeout.ms", "30"));
	}

	@Test
	void theTransportEnforcesWhatItCannotWorkWithout() {
		Map<String, Object> producer = KafkaClientOverrides.enforceProducer(Map.of("acks", "1",
				"max.in.flight.requests.per.connection", 10, "retries", "0", "transactional.id", "tx",
				"value.serializer", StringSerializer.class, "compression.type", "lz4"), "p");
		assertThat(producer).contains(entry("acks", "all"), entry("enable.idempotence", "true"),
				entry("max.in.flight.requests.per.connection", "5"), entry("retries", "2147483647"),
				entry("value.serializer", ByteArraySerializer.class.getName()), entry("client.id", "p"),
				entry("compression.type", "lz4"));
		assertThat(producer).doesNotContainKey("transactional.id");

		Map<String, Object> consumer = KafkaClientOverrides.enforceConsumer(Map.of("group.id", "app",
				"group.instance.id", "i", "enable.auto.commit", true, "auto.offset.reset", "latest",
				"max.poll.records", 10), "c");
		assertThat(consumer).doesNotContainKeys("group.id", "group.instance.id");
		assertThat(consumer).contains(entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
				entry("auto.offset.reset", "none"), entry("client.id", "c"), entry("max.poll.records", 10));
	}

	@Test
	void rejectsNonPositiveDurationsNamingTheArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> KafkaClientOverrides.producer(Duration.ZERO, Duration.ofSeconds(1)))
			.withMessageContaining("heartbeatInterval");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> KafkaClientOverrides.consumer(Duration.ofSeconds(1), null))
			.withMessageContaining("heartbeatTimeout");
	}

}
