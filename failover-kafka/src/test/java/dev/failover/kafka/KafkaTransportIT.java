package dev.failover.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests of {@link KafkaTransport} against an in-process KRaft broker.
 * The broker creates no topic on its own: the transport must.
 */
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=false")
class KafkaTransportIT {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final Duration PROGRESS = Duration.ofMillis(40);

	private static final Duration DEADLINE = Duration.ofSeconds(20);


	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void closeResources() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void publishesInCallOrderAndCompletesWithTheOffsets() {
		KafkaTransport transport = transport("ordering");
		transport.ensureTopic();
		List<CompletableFuture<Long>> futures = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			futures.add(transport.publish("orders", Transport.groupKey("orders"), bytes("record-" + i)));
		}
		List<Long> offsets = futures.stream().map((future) -> future.orTimeout(20, TimeUnit.SECONDS).join()).toList();
		assertThat(offsets).containsExactlyElementsOf(range(0, 50));

		RecordingListener listener = subscribe(transport, "orders", 0, true);
		await().atMost(DEADLINE).until(() -> listener.lastProgress() == 50);
		assertThat(listener.offsets()).containsExactlyElementsOf(range(0, 50));
		assertThat(listener.records.get(49).text()).isEqualTo("record-49");
		assertThat(listener.violations).isEmpty();
	}

	@Test
	void reportsProgressRepeatedlyWithTheEndOffsetOnlyAfterDelivering() {
		KafkaTransport transport = transport("progress");
		transport.ensureTopic();
		RecordingListener listener = subscribe(transport, "orders", 0, true);
		await().atMost(DEADLINE).until(() -> listener.progress.size() >= 3);
		assertThat(listener.progress).containsOnly(0L);

		for (int i = 0; i < 3; i++) {
			transport.publish("orders", Transport.groupKey("orders"), bytes("record-" + i));
		}
		await().atMost(DEADLINE).until(() -> listener.lastProgress() == 3);
		// keeps confirming while nothing happens: a watcher needs to hear it every few intervals
		int reports = listener.progress.size();
		await().atMost(DEADLINE).until(() -> listener.progress.size() >= reports + 5);
		assertThat(listener.records).hasSize(3);
		assertThat(listener.violations).isEmpty();
		assertThat(listener.errors).isEmpty();
	}

	@Test
	void asksForTheEndOffsetWithoutWaitingBehindTheFetchParkedOnTheBroker() {
		// with a progress interval of 2 s an idle fetch parks for 700 ms, out of step with the
		// question every 2 s: asked on the reading connection, the question would wait for the
		// rest of the park (0.1 s, 0.2 s, 0.3 s, ...), and so would a record arriving meanwhile
		Map<String, Object> consumer = KafkaClientOverrides.consumer(INTERVAL, TIMEOUT);
		consumer.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "700");
		consumer.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
		KafkaTransport transport = track(new KafkaTransport(options("asking").consumerConfig(consumer).build()));
		transport.ensureTopic();
		RecordingListener listener = new RecordingListener(true);
		track(transport.subscribe("orders", 0, Duration.ofSeconds(2), listener));

		await().atMost(DEADLINE).until(() -> listener.progress.size() >= 5);
		assertThat(listener.progressLagNanos).allSatisfy((lag) -> assertThat(TimeUnit.NANOSECONDS.toMillis(lag))
			.as("a progress report's delay after its question was sent").isLessThan(150));
		assertThat(listener.errors).isEmpty();
	}

	@Test
	void readsFromTheGivenOffsetOrFromTheEarliestWhenOutOfRange() {
		KafkaTransport transport = transport("from-offset");
		transport.ensureTopic();
		for (int i = 0; i < 5; i++) {
			transport.publish("orders", Transport.groupKey("orders"), bytes("record-" + i)).join();
		}
		RecordingListener fromTwo = subscribe(transport, "orders", 2, false);
		RecordingListener beyondEnd = subscribe(transport, "orders", 1_000, true);
		await().atMost(DEADLINE).until(() -> fromTwo.lastProgress() == 5 && beyondEnd.lastProgress() == 5);
		assertThat(fromTwo.offsets()).containsExactly(2L, 3L, 4L);
		assertThat(beyondEnd.offsets()).containsExactly(0L, 1L, 2L, 3L, 4L);
	}

	@Test
	void deliversOnlyTheGroupsRecordsAndUnkeyedOnesToEachGroup() throws Exception {
		// a compacted topic refuses records without a key: garbage without one can only
		// appear on a topic that is not compacted, such as an existing one
		String topic = "filtering";
		try (Admin admin = admin()) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
		}
		KafkaTransport transport = transport(topic);
		transport.publish("alpha", Transport.groupKey("alpha"), bytes("alpha state")).join();
		transport.publish("alpha", Transport.memberKey("alpha", "a-1"), bytes("alpha member")).join();
		transport.publish("beta", Transport.groupKey("beta"), bytes("beta state")).join();
		transport.publish("alpha", "alphabet", bytes("another group that shares a prefix")).join();
		transport.publish("alpha", null, new byte[] { (byte) 0xff, 0, (byte) 0xc3, 0x28 }).join();
		transport.publish("alpha", null, null).join();
		try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
			// a key that is not UTF-8 at all must not hurt anybody
			raw.send(new ProducerRecord<>(topic, 0, new byte[] { (byte) 0xc3, (byte) 0x28 }, bytes("{]"))).get();
		}
		long end = 7;

		RecordingListener alpha = subscribe(transport, "alpha", 0, false);
		RecordingListener beta = subscribe(transport, "beta", 0, false);
		await().atMost(DEADLINE).until(() -> alpha.lastProgress() == end && beta.lastProgress() == end);
		assertThat(alpha.keys()).containsExactly("alpha", "alpha/a-1", null, null);
		assertThat(alpha.offsets()).containsExactly(0L, 1L, 4L, 5L);
		assertThat(alpha.records.get(3).value()).isNull();
		assertThat(beta.keys()).containsExactly("beta", null, null);
		assertThat(beta.offsets()).containsExactly(2L, 4L, 5L);
		assertThat(alpha.errors).isEmpty();
		assertThat(beta.errors).isEmpty();
		assertThat(alpha.violations).isEmpty();
	}

	@Test
	void refusesUnkeyedRecordsOnACompactedTopicWithoutHarm() {
		KafkaTransport transport = transport("compacted-unkeyed");
		transport.ensureTopic();
		CompletableFuture<Long> unkeyed = transport.publish("alpha", null, bytes("garbage"));
		assertThat(unkeyed).failsWithin(DEADLINE);
		assertThat(transport.publish("alpha", Transport.groupKey("alpha"), bytes("state")).join()).isZero();
	}

	@Test
	void keepsEveryRecordOfEveryGroupInTheConfiguredPartitionOfAnExistingTopic() throws Exception {
		String topic = "three-partitions";
		try (Admin admin = admin()) {
			admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(20, TimeUnit.SECONDS);
		}
		KafkaTransport transport = track(new KafkaTransport(options(topic).partition(2).build()));
		FailoverTopic described = transport.ensureTopic();
		assertThat(described.created()).isFalse();
		assertThat(described.partitions()).isEqualTo(3);

		List<String> groups = List.of("orders", "payments", "billing", "shipping", "search", "catalog");
		for (String group : groups) {
			transport.publish(group, Transport.groupKey(group), bytes(group + " state")).join();
			transport.publish(group, Transport.memberKey(group, "instance-1"), bytes(group + " member 1")).join();
			transport.publish(group, Transport.memberKey(group, "instance-2"), bytes(group + " member 2")).join();
		}
		KafkaTransport byDefault = transport(topic);
		byDefault.publish("orders", Transport.groupKey("orders"), bytes("orders, by default")).join();
		RecordingListener orders = subscribe(transport, "orders", 0, false);
		await().atMost(DEADLINE).until(() -> orders.lastProgress() == 3 * groups.size());
		assertThat(orders.keys()).containsExactly("orders", "orders/instance-1", "orders/instance-2");

		Map<Integer, List<String>> keysByPartition = new HashMap<>();
		try (KafkaConsumer<byte[], byte[]> raw = rawConsumer()) {
			List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
					new TopicPartition(topic, 2));
			raw.assign(partitions);
			raw.seekToBeginning(partitions);
			List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
			await().atMost(DEADLINE).until(() -> {
				raw.poll(Duration.ofMillis(100)).forEach(all::add);
				return all.size() == 3 * groups.size() + 1;
			});
			for (ConsumerRecord<byte[], byte[]> record : all) {
				keysByPartition.computeIfAbsent(record.partition(), (p) -> new ArrayList<>())
					.add(new String(record.key(), StandardCharsets.UTF_8));
			}
		}
		assertThat(keysByPartition.get(2)).hasSize(3 * groups.size());
		assertThat(keysByPartition.get(0)).containsExactly("orders");
		assertThat(keysByPartition).doesNotContainKey(1);
	}

	@Test
	void createsAMissingTopicCompactedAndWarnsThatItIsNotProductionSafe() throws Exception {
		Logger logger = (Logger) LoggerFactory.getLogger(TopicSetup.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try {
			KafkaTransport transport = track(new KafkaTransport(options("created")
				.minCompactionLag(Duration.ofMinutes(10))
				.topicConfig(Map.of("max.message.bytes", "200000"))
				.build()));
			FailoverTopic topic = transport.ensureTopic();

			assertThat(topic.created()).isTrue();
			assertThat(topic.partitions()).isEqualTo(1);
			assertThat(topic.replicationFactor()).isEqualTo(1);
			assertThat(topic.cleanupPolicy()).isEqualTo("compact");
			assertThat(topic.uncleanLeaderElection()).isFalse();
			assertThat(topic.isProductionSafe()).isFalse();
			assertThat(topic.warnings())
				.anySatisfy((warning) -> assertThat(warning).contains("replication factor is 1"))
				.anySatisfy((warning) -> assertThat(warning).contains("min.insync.replicas is 1"));
			try (Admin admin = admin()) {
				ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "created");
				Config config = admin.describeConfigs(List.of(resource)).all().get(20, TimeUnit.SECONDS).get(resource);
				assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
				assertThat(config.get("min.compaction.lag.ms").value()).isEqualTo("600000");
				assertThat(config.get("segment.ms").value()).isEqualTo("3600000");
				assertThat(config.get("unclean.leader.election.enable").value()).isEqualTo("false");
				assertThat(config.get("message.timestamp.type").value()).isEqualTo("LogAppendTime");
				assertThat(config.get("max.message.bytes").value()).isEqualTo("200000");
			}
			assertThat(appender.list).anySatisfy((event) -> {
				assertThat(event.getLevel()).isEqualTo(Level.WARN);
				assertThat(event.getFormattedMessage()).contains("'created'", "replication factor is 1",
						"acknowledged", "replication factor 3, min.insync.replicas 2");
			});

			FailoverTopic again = transport.ensureTopic();
			assertThat(again.created()).isFalse();
			assertThat(again.partitions()).isEqualTo(1);
		}
		finally {
			logger.detachAppender(appender);
		}
	}

	@Test
	void aSubscriptionToAMissingTopicReportsErrorsUntilTheTopicIsCreated() {
		KafkaTransport transport = transport("late");
		RecordingListener listener = subscribe(transport, "orders", 0, true);
		await().atMost(DEADLINE).until(() -> !listener.errors.isEmpty());
		assertThat(listener.progress).isEmpty();
		assertThat(listener.errors.get(0)).hasMessageContaining("'late' does not exist");

		transport.ensureTopic();
		transport.publish("orders", Transport.groupKey("orders"), bytes("first")).join();
		await().atMost(DEADLINE).until(() -> listener.lastProgress() == 1);
		assertThat(listener.offsets()).containsExactly(0L);
	}

	@Test
	void closesCleanlyAndPromptly() {
		KafkaTransport transport = transport("closing");
		transport.ensureTopic();
		transport.publish("orders", Transport.groupKey("orders"), bytes("before close")).join();
		RecordingListener first = subscribe(transport, "orders", 0, true);
		RecordingListener second = subscribe(transport, "payments", 0, false);
		await().atMost(DEADLINE).until(() -> first.lastProgress() == 1 && second.lastProgress() == 1);
		List<Thread> threads = transport.threads();
		assertThat(threads).hasSize(3)
			.extracting(Thread::getName)
			.allSatisfy((name) -> assertThat(name).startsWith("failover-kafka-"));
		assertThat(threads).allSatisfy((thread) -> assertThat(thread.isDaemon()).isTrue());
		String networkThread = "kafka-producer-network-thread | " + transport.clientId() + "-producer";
		assertThat(liveThreadNames()).contains(networkThread);

		CompletableFuture<Long> last = transport.publish("orders", Transport.groupKey("orders"), bytes("at close"));
		long started = System.nanoTime();
		transport.close();
		long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

		assertThat(last).as("a record queued before close is flushed").isCompletedWithValue(1L);
		assertThat(threads).allSatisfy((thread) -> assertThat(thread.isAlive()).as(thread.getName()).isFalse());
		assertThat(liveThreadNames()).doesNotContain(networkThread);
		assertThat(tookMillis).as("close took %d ms", tookMillis).isLessThan(5_000);
		assertThat(transport.publish("orders", "orders", bytes("after close"))).isCompletedExceptionally();
		assertThatIllegalStateException().isThrownBy(() -> transport.subscribe("orders", 0, PROGRESS, first))
			.withMessageContaining("'closing'");
		transport.close();
	}

	@Test
	void closingASubscriptionStopsItsThreadAndDeliveries() {
		KafkaTransport transport = transport("unsubscribe");
		transport.ensureTopic();
		RecordingListener listener = subscribe(transport, "orders", 0, true);
		await().atMost(DEADLINE).until(() -> listener.lastProgress() == 0);
		List<Thread> threads = transport.threads();
		Subscription subscription = (Subscription) this.resources.get(0);

		subscription.close();

		assertThat(threads).allSatisfy((thread) -> assertThat(thread.isAlive()).isFalse());
		int reports = listener.progress.size();
		transport.publish("orders", Transport.groupKey("orders"), bytes("after unsubscribe")).join();
		RecordingListener witness = subscribe(transport, "orders", 0, true);
		await().atMost(DEADLINE).until(() -> witness.lastProgress() == 1);
		assertThat(listener.records).isEmpty();
		assertThat(listener.progress).hasSize(reports);
	}

	private KafkaTransport transport(String topic) {
		return track(new KafkaTransport(options(topic).build()));
	}

	private KafkaTransportOptions.Builder options(String topic) {
		return KafkaTransportOptions.builder()
			.topic(topic)
			.bootstrapServers(EmbeddedKafkaCondition.getBroker().getBrokersAsString())
			.producerConfig(KafkaClientOverrides.producer(INTERVAL, TIMEOUT))
			.consumerConfig(KafkaClientOverrides.consumer(INTERVAL, TIMEOUT))
			.adminTimeout(Duration.ofSeconds(20));
	}

	private RecordingListener subscribe(KafkaTransport transport, String group, long from, boolean everyRecordIsOurs) {
		RecordingListener listener = new RecordingListener(everyRecordIsOurs);
		track(transport.subscribe(group, from, PROGRESS, listener));
		return listener;
	}

	private <T extends AutoCloseable> T track(T resource) {
		// closed in reverse order: subscriptions before their transport
		this.resources.add(0, resource);
		return resource;
	}

	private static Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaCondition.getBroker().getBrokersAsString()));
	}

	private static KafkaProducer<byte[], byte[]> rawProducer() {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaCondition.getBroker().getBrokersAsString(),
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
	}

	private static KafkaConsumer<byte[], byte[]> rawConsumer() {
		return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaCondition.getBroker().getBrokersAsString(),
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
	}

	private static Set<String> liveThreadNames() {
		Set<String> names = new HashSet<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.isAlive()) {
				names.add(thread.getName());
			}
		}
		return names;
	}

	private static List<Long> range(long from, long to) {
		List<Long> values = new ArrayList<>();
		for (long i = from; i < to; i++) {
			values.add(i);
		}
		return values;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
