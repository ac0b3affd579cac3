package dev.failover.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.failover.core.spi.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The topic's life under a running transport, on a broker that creates any topic a client
 * merely asks about ({@code auto.create.topics.enable=true}, Kafka's default): partitions
 * added, the topic deleted and created again, records deleted, a topic just created. The
 * transport never creates the topic implicitly, keeps every group on its one partition, and
 * tells its listeners when the log they read was replaced.
 */
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=true")
class KafkaTopicLifecycleIT {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final Duration PROGRESS = Duration.ofMillis(50);

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void closeResources() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void neverCreatesAMissingTopicByPublishing() throws Exception {
		String topic = "never-created";
		KafkaTransport transport = transport(topic);
		List<CompletableFuture<Long>> sent = new ArrayList<>();
		try (Admin admin = admin()) {
			for (int i = 0; i < 20; i++) {
				sent.add(transport.publish("orders", Transport.groupKey("orders"), bytes("record-" + i)));
				assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).doesNotContain(topic);
				Thread.sleep(100);
			}
		}
		assertThat(sent).allSatisfy((future) -> assertThat(future).failsWithin(DEADLINE)
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(UnknownTopicOrPartitionException.class)
			.withMessageContaining("'never-created' does not exist"));
	}

	@Test
	void aTopicDeletedUnderARunningTransportIsNotRecreatedAndItsSuccessorIsReadFromTheStart() throws Exception {
		String topic = "replaced";
		try (Admin admin = admin()) {
			createTopic(admin, topic, 1);
			KafkaTransport transport = transport(topic);
			RecordingListener listener = subscribe(transport, "orders");
			for (int i = 0; i < 3; i++) {
				transport.publish("orders", Transport.groupKey("orders"), bytes("old-" + i)).get(20, TimeUnit.SECONDS);
			}
			await().atMost(DEADLINE).until(() -> listener.lastProgress() == 3);
			assertThat(listener.replaced).isEmpty();

			admin.deleteTopics(List.of(topic)).all().get(20, TimeUnit.SECONDS);
			await().atMost(DEADLINE).until(() -> !admin.listTopics().names().get().contains(topic));
			List<CompletableFuture<Long>> whileDeleted = new ArrayList<>();
			long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
			while (System.nanoTime() < until) {
				whileDeleted.add(transport.publish("orders", Transport.groupKey("orders"), bytes("lost")));
				assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).as("topics while deleted")
					.doesNotContain(topic);
				Thread.sleep(100);
			}
			assertThat(whileDeleted).hasSizeGreaterThan(10)
				.allSatisfy((future) -> assertThat(future).failsWithin(DEADLINE));
			assertThat(listener.replaced).as("nothing replaced the log yet").isEmpty();
			assertThat(listener.errors).anySatisfy((error) -> assertThat(error).hasMessageContaining("does not exist"));

			// the operator creates it again
			createTopic(admin, topic, 1);
			await().atMost(DEADLINE).until(() -> publishes(transport, "new-0"));
			transport.publish("orders", Transport.groupKey("orders"), bytes("new-1")).get(20, TimeUnit.SECONDS);
			await().atMost(DEADLINE).until(() -> listener.lastProgress() == 2 && !listener.replaced.isEmpty());

			assertThat(listener.replaced).singleElement().asString().contains("deleted and created again");
			List<String> since = listener.eventsSinceReplaced();
			assertThat(since).filteredOn((event) -> event.startsWith("record ")).containsExactly("record 0", "record 1");
			assertThat(since.indexOf("record 1")).as("records before progress").isLessThan(since.indexOf("progress 2"));
			assertThat(listener.records.subList(listener.records.size() - 2, listener.records.size()))
				.extracting(RecordingListener.Received::text)
				.containsExactly("new-0", "new-1");
			assertThat(listener.violations).isEmpty();
		}
	}

	@Test
	void aPromptRecordReliesOnAConfirmationOfTheTopicOnlyWithinItsBound() throws Exception {
		String topic = "prompt";
		try (Admin admin = admin()) {
			createTopic(admin, topic, 1);
			KafkaTransport transport = transport(topic);
			transport.publish("orders", Transport.groupKey("orders"), bytes("heartbeat")).get(20, TimeUnit.SECONDS);
			assertThat(transport.publisherLookups()).isEqualTo(1);

			// a notice right after the heartbeat goes without asking again
			assertThat(transport.publishPromptly("orders", Transport.groupKey("orders"), bytes("notice"),
					Duration.ofMinutes(1)))
				.succeedsWithin(DEADLINE)
				.isEqualTo(1L);
			assertThat(transport.publisherLookups()).isEqualTo(1);
			// any other record asks
			transport.publish("orders", Transport.groupKey("orders"), bytes("heartbeat")).get(20, TimeUnit.SECONDS);
			assertThat(transport.publisherLookups()).isEqualTo(2);

			// a confirmation older than the bound is not relied on: the topic is gone and stays gone
			admin.deleteTopics(List.of(topic)).all().get(20, TimeUnit.SECONDS);
			await().atMost(DEADLINE).until(() -> !admin.listTopics().names().get().contains(topic));
			assertThat(transport.publishPromptly("orders", Transport.groupKey("orders"), bytes("late notice"),
					Duration.ofMillis(1)))
				.failsWithin(DEADLINE)
				.withThrowableThat()
				.havingRootCause()
				.isInstanceOf(UnknownTopicOrPartitionException.class);
			assertThat(transport.publisherLookups()).isEqualTo(3);
			assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).doesNotContain(topic);
		}
	}

	@Test
	void aSubscriptionOfATopicTheTransportCreatedHearsOfANewLogBeforeAnythingElse() {
		KafkaTransport lazily = track(new KafkaTransport(options("created-lazily").ensureTopicOnFirstRead(true).build()));
		RecordingListener first = subscribe(lazily, "orders");
		KafkaTransport explicitly = transport("created-explicitly");
		assertThat(explicitly.ensureTopic().created()).isTrue();
		RecordingListener second = subscribe(explicitly, "orders");

		await().atMost(DEADLINE).until(() -> first.progress.size() >= 3 && second.progress.size() >= 3);
		assertThat(first.events.get(0)).isEqualTo("replaced created the topic");
		assertThat(second.events.get(0)).isEqualTo("replaced created the topic");
		assertThat(first.replaced).hasSize(1);
		assertThat(second.replaced).hasSize(1);
	}

	@Test
	void aSubscriptionOfAnExistingTopicHearsOfNoNewLog() throws Exception {
		try (Admin admin = admin()) {
			createTopic(admin, "existing", 1);
		}
		KafkaTransport transport = track(new KafkaTransport(options("existing").ensureTopicOnFirstRead(true).build()));
		transport.publish("orders", Transport.groupKey("orders"), bytes("state")).get(20, TimeUnit.SECONDS);
		RecordingListener listener = subscribe(transport, "orders");
		await().atMost(DEADLINE).until(() -> listener.progress.size() >= 20);
		assertThat(listener.replaced).isEmpty();
		assertThat(listener.offsets()).containsExactly(0L);
		assertThat(listener.errors).isEmpty();
	}

	@Test
	void recordsDeletedBeforeTheyWereReadMakeANewLogReadFromTheEarliestRemaining() throws Exception {
		String topic = "deleted-records";
		try (Admin admin = admin()) {
			createTopic(admin, topic, 1);
			KafkaTransport transport = transport(topic);
			for (int i = 0; i < 10; i++) {
				transport.publish("orders", Transport.groupKey("orders"), bytes("record-" + i)).get(20, TimeUnit.SECONDS);
			}
			// a reader that falls behind: one record per fetch, and stuck on the first one
			Map<String, Object> consumer = KafkaClientOverrides.consumer(INTERVAL, TIMEOUT);
			consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
			consumer.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "1");
			consumer.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "1");
			KafkaTransport reader = track(new KafkaTransport(options(topic).consumerConfig(consumer).build()));
			CountDownLatch stuck = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			RecordingListener listener = new RecordingListener(true) {
				@Override
				public void onRecord(long offset, String key, byte[] value) {
					super.onRecord(offset, key, value);
					if (offset == 0) {
						stuck.countDown();
						awaitQuietly(release);
					}
				}
			};
			track(reader.subscribe("orders", 0, PROGRESS, listener));
			assertThat(stuck.await(20, TimeUnit.SECONDS)).isTrue();
			admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(8)))
				.all()
				.get(20, TimeUnit.SECONDS);
			release.countDown();

			await().atMost(DEADLINE).until(() -> listener.lastProgress() == 10);
			assertThat(listener.replaced).singleElement().asString().contains("out of the log's range");
			assertThat(listener.eventsSinceReplaced()).filteredOn((event) -> event.startsWith("record "))
				.containsExactly("record 8", "record 9");
			assertThat(listener.violations).isEmpty();
		}
	}

	@Test
	void addingPartitionsMovesNoGroupAndIsReportedOnceAtInfo() throws Exception {
		String topic = "growing";
		String group = "billing";
		// the old rule (murmur2 of the group modulo the partition count) would move this group
		assertThat(Utils.toPositive(Utils.murmur2(bytes(group))) % 4).isNotZero();
		try (Admin admin = admin(); LogCapture log = new LogCapture()) {
			createTopic(admin, topic, 1);
			KafkaTransport before = transport(topic);
			before.publish(group, Transport.groupKey(group), bytes("before")).get(20, TimeUnit.SECONDS);
			RecordingListener early = subscribe(before, group);
			await().atMost(DEADLINE).until(() -> early.lastProgress() == 1);

			admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4))).all().get(20, TimeUnit.SECONDS);
			await().atMost(DEADLINE).until(() -> !log.matching((event) -> event.getFormattedMessage()
				.contains("now has 4 partitions")).isEmpty());
			KafkaTransport after = transport(topic);
			after.publish(group, Transport.groupKey(group), bytes("after")).get(20, TimeUnit.SECONDS);
			RecordingListener late = subscribe(after, group);
			await().atMost(DEADLINE).until(() -> late.lastProgress() == 2 && early.lastProgress() == 2);

			assertThat(late.records).extracting(RecordingListener.Received::text).containsExactly("before", "after");
			assertThat(early.records).extracting(RecordingListener.Received::text).containsExactly("before", "after");
			Map<TopicPartition, Long> ends = endOffsets(admin, topic, 4);
			assertThat(ends).containsEntry(new TopicPartition(topic, 0), 2L);
			assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
			assertThat(log.matching((event) -> event.getFormattedMessage().contains("now has 4 partitions")))
				.singleElement()
				.asString()
				.startsWith("INFO ");
			assertThat(log.warnings("failover-")).isEmpty();
			assertThat(early.replaced).isEmpty();
			assertThat(late.replaced).isEmpty();
		}
	}

	@Test
	void aConfiguredPartitionTheTopicDoesNotHaveIsAnErrorThatNamesTheProperty() throws Exception {
		String topic = "too-few-partitions";
		try (Admin admin = admin()) {
			createTopic(admin, topic, 2);
		}
		KafkaTransport transport = track(new KafkaTransport(options(topic).partition(2).build()));
		assertThatExceptionOfType(KafkaTransportException.class).isThrownBy(transport::ensureTopic)
			.withMessageContaining("has 2 partition(s)")
			.withMessageContaining("failover.kafka.partition");
		assertThat(transport.publish("orders", "orders", bytes("state"))).failsWithin(DEADLINE)
			.withThrowableThat()
			.withMessageContaining("failover.kafka.partition");
		RecordingListener listener = subscribe(transport, "orders");
		await().atMost(DEADLINE).until(() -> !listener.errors.isEmpty());
		assertThat(listener.errors.get(0)).hasMessageContaining("failover.kafka.partition");
		assertThat(listener.progress).isEmpty();
	}

	@Test
	void aCreatedTopicHasTheConfiguredPartition() throws Exception {
		KafkaTransport transport = track(new KafkaTransport(options("created-with-partition-2").partition(2).build()));
		assertThat(transport.ensureTopic().partitions()).isEqualTo(3);
		transport.publish("orders", "orders", bytes("state")).get(20, TimeUnit.SECONDS);
		try (Admin admin = admin()) {
			assertThat(endOffsets(admin, "created-with-partition-2", 3))
				.containsEntry(new TopicPartition("created-with-partition-2", 2), 1L)
				.containsEntry(new TopicPartition("created-with-partition-2", 0), 0L);
		}
	}

	private static boolean publishes(KafkaTransport transport, String text) {
		try {
			transport.publish("orders", Transport.groupKey("orders"), bytes(text)).get(20, TimeUnit.SECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			return false;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void createTopic(Admin admin, String topic, int partitions) {
		// a topic just deleted may still be on its way out
		await().atMost(DEADLINE).until(() -> {
			try {
				admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(20, TimeUnit.SECONDS);
				return true;
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof TopicExistsException) {
					return false;
				}
				throw ex;
			}
		});
		await().atMost(DEADLINE)
			.until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
				.allMatch((partition) -> partition.leader() != null));
	}

	private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, int partitions) throws Exception {
		Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> specs = new java.util.HashMap<>();
		for (int i = 0; i < partitions; i++) {
			specs.put(new TopicPartition(topic, i), org.apache.kafka.clients.admin.OffsetSpec.latest());
		}
		Map<TopicPartition, Long> ends = new java.util.HashMap<>();
		admin.listOffsets(specs).all().get(20, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
		return ends;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
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
			.clientIdPrefix("failover-lifecycle")
			.adminTimeout(Duration.ofSeconds(20));
	}

	private RecordingListener subscribe(KafkaTransport transport, String group) {
		RecordingListener listener = new RecordingListener(true);
		track(transport.subscribe(group, 0, PROGRESS, listener));
		return listener;
	}

	private <T extends AutoCloseable> T track(T resource) {
		// closed in reverse order: subscriptions before their transport
		this.resources.add(0, resource);
		return resource;
	}

	private static Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
				EmbeddedKafkaCondition.getBroker().getBrokersAsString()));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
