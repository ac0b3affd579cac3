package dev.failover.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.failover.core.FailoverConfig;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.core.spi.FailoverClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests: three real {@link Watcher}s, each with its own {@link KafkaTransport},
 * over an in-process KRaft broker and the system clock.
 * The broker creates no topic on its own: the transport must.
 */
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=false")
class KafkaFailoverIT {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final Duration DEADLINE = Duration.ofSeconds(30);


	private final List<KafkaTransport> transports = new ArrayList<>();

	private final List<Watcher> watchers = new ArrayList<>();

	private final List<RoleChange> changes = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeAll() {
		this.watchers.forEach(Watcher::closeAbruptly);
		this.transports.forEach(KafkaTransport::close);
	}

	@Test
	void electsOnePrimaryIgnoresGarbageThenFailsOverOnACrashAndHandsOverOnShutdown() throws Exception {
		FailoverConfig config = FailoverConfig.builder()
			.enabled(true)
			.heartbeatInterval(INTERVAL)
			.heartbeatTimeout(TIMEOUT)
			.build();
		for (String id : List.of("a", "b", "c")) {
			KafkaTransport transport = new KafkaTransport(KafkaTransportOptions.builder()
				.topic("failover-e2e")
				.bootstrapServers(EmbeddedKafkaCondition.getBroker().getBrokersAsString())
				.producerConfig(KafkaClientOverrides.producer(INTERVAL, TIMEOUT))
				.consumerConfig(KafkaClientOverrides.consumer(INTERVAL, TIMEOUT))
				.build());
			this.transports.add(transport);
			transport.ensureTopic();
			this.watchers.add(Watcher.builder()
				.group("e2e")
				.instanceId(id)
				.transport(transport)
				.config(config)
				.clock(FailoverClock.system())
				.listener(this.changes::add)
				.build());
		}
		this.watchers.forEach(Watcher::start);

		await().atMost(DEADLINE).until(() -> primaries(this.watchers).size() == 1 && this.watchers.stream()
			.allMatch((w) -> w.primaryId().equals(Optional.of(primaries(this.watchers).get(0).instanceId()))));
		Watcher first = primaries(this.watchers).get(0);

		injectGarbage("failover-e2e", "e2e");
		await().atMost(DEADLINE).until(() -> this.watchers.stream().allMatch((w) -> w.stats().rejectedTotal() >= 3));
		assertThat(primaries(this.watchers)).containsExactly(first);
		assertThat(this.changes).filteredOn(RoleChange::isDemotion).isEmpty();
		List<Watcher> survivors = new ArrayList<>(this.watchers);
		survivors.remove(first);

		Instant crashedAt = Instant.now();
		first.closeAbruptly();
		await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10)).until(() -> primaries(survivors).size() == 1);
		Watcher second = primaries(survivors).get(0);
		RoleChange crashPromotion = promotionOf(second, crashedAt);
		Duration failover = Duration.between(crashedAt, crashPromotion.at());
		await().atMost(DEADLINE).until(() -> survivors.stream()
			.allMatch((w) -> w.primaryId().equals(Optional.of(second.instanceId()))));
		assertThat(primaries(survivors)).containsExactly(second);

		Watcher third = survivors.get(0).equals(second) ? survivors.get(1) : survivors.get(0);
		Instant leavingAt = Instant.now();
		second.close();
		await().atMost(DEADLINE).pollInterval(Duration.ofMillis(10)).until(third::isPrimary);
		RoleChange handoverPromotion = promotionOf(third, leavingAt);
		Duration handover = Duration.between(leavingAt, handoverPromotion.at());
		RoleChange secondDemotion = this.changes.stream()
			.filter((change) -> change.instanceId().equals(second.instanceId()) && change.isDemotion())
			.findFirst()
			.orElseThrow();

		List<RoleChange> promotions = this.changes.stream().filter(RoleChange::isPromotion).toList();
		assertThat(promotions).extracting(RoleChange::instanceId)
			.containsExactly(first.instanceId(), second.instanceId(), third.instanceId());
		assertThat(promotions).extracting(RoleChange::epoch).isSorted().doesNotHaveDuplicates();
		assertThat(crashPromotion.cause()).isEqualTo(RoleChange.Cause.PRIMARY_SILENT);
		assertThat(handoverPromotion.cause()).isEqualTo(RoleChange.Cause.PRIMARY_LEFT);
		assertThat(secondDemotion.at()).as("the old primary stops acting before its successor starts")
			.isBeforeOrEqualTo(handoverPromotion.at());
		System.out.printf("Kafka failover (heartbeat interval %d ms, timeout %d ms): crash failover %d ms "
				+ "(from closeAbruptly() of '%s' to promotion of '%s'), graceful handover %d ms (from close() of '%s' "
				+ "to promotion of '%s')%n", INTERVAL.toMillis(), TIMEOUT.toMillis(), failover.toMillis(),
				first.instanceId(), second.instanceId(), handover.toMillis(), second.instanceId(), third.instanceId());
	}

	/**
	 * Writes records that are not protocol records to the group's partition: bad JSON, bytes
	 * that are not text, and an oversized record.
	 */
	private static void injectGarbage(String topic, String group) throws Exception {
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaCondition.getBroker().getBrokersAsString(),
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
			int partition = 0;
			byte[] random = new byte[64];
			new Random(42).nextBytes(random);
			byte[] oversized = new byte[100 * 1024];
			Arrays.fill(oversized, (byte) 'x');
			for (byte[] value : List.of(bytes("{\"type\":\"HEARTBEAT\",\"epoch\":"), random, oversized)) {
				producer.send(new ProducerRecord<>(topic, partition, bytes(group), value)).get();
			}
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private RoleChange promotionOf(Watcher watcher, Instant after) {
		await().atMost(DEADLINE).until(() -> findPromotion(watcher, after).isPresent());
		return findPromotion(watcher, after).orElseThrow();
	}

	private Optional<RoleChange> findPromotion(Watcher watcher, Instant after) {
		return this.changes.stream()
			.filter((change) -> change.instanceId().equals(watcher.instanceId()) && change.isPromotion()
					&& !change.at().isBefore(after))
			.findFirst();
	}

	private static List<Watcher> primaries(List<Watcher> watchers) {
		return watchers.stream().filter(Watcher::isPrimary).toList();
	}

}
