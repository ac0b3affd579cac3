package dev.failover.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.failover.core.FailoverConfig;
import dev.failover.core.Watcher;
import dev.failover.core.spi.FailoverClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A running group is quiet: in steady state, neither failover nor the Kafka clients it
 * creates log anything at WARN or above, however many progress rounds go by.
 */
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=false")
class KafkaQuietIT {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final Duration PROGRESS = Duration.ofMillis(50);

	private static final String PREFIX = "quiet-";

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void closeResources() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void twoWatchersAndAReaderRunASteadyMinuteWithoutAWarningFromFailoverOrItsKafkaClients() throws Exception {
		String topic = "quiet";
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers()))) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
				.all()
				.get(20, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0)
					.leader() != null);
		}
		FailoverConfig config = FailoverConfig.builder()
			.enabled(true)
			.heartbeatInterval(INTERVAL)
			.heartbeatTimeout(TIMEOUT)
			.build();
		try (LogCapture log = new LogCapture()) {
			List<Watcher> watchers = new ArrayList<>();
			for (String id : List.of("a", "b")) {
				Watcher watcher = Watcher.builder()
					.group("quiet")
					.instanceId(id)
					.transport(transport(topic, PREFIX + id))
					.config(config)
					.clock(FailoverClock.system())
					.build();
				this.resources.add(0, watcher::closeAbruptly);
				watchers.add(watcher);
			}
			RecordingListener reader = new RecordingListener(false);
			this.resources.add(0, transport(topic, PREFIX + "reader").subscribe("quiet", 0, PROGRESS, reader));
			watchers.forEach(Watcher::start);

			await().atMost(Duration.ofSeconds(30)).until(() -> watchers.stream().filter(Watcher::isPrimary).count() == 1
					&& watchers.stream().allMatch((w) -> w.primaryId().isPresent()));
			Optional<String> primary = watchers.get(0).primaryId();
			// a steady minute: some 300 heartbeats and progress rounds of each watcher, 1,200
			// progress rounds of the reader
			int rounds = reader.progress.size();
			await().atMost(Duration.ofMinutes(3)).until(() -> reader.progress.size() >= rounds + 1200);

			assertThat(log.warnings(PREFIX)).as("warnings and errors of failover and its Kafka clients").isEmpty();
			assertThat(watchers).allSatisfy((w) -> assertThat(w.primaryId()).isEqualTo(primary));
			assertThat(reader.errors).isEmpty();
			assertThat(reader.replaced).isEmpty();
		}
	}

	private KafkaTransport transport(String topic, String clientIdPrefix) {
		KafkaTransport transport = new KafkaTransport(KafkaTransportOptions.builder()
			.topic(topic)
			.bootstrapServers(brokers())
			.producerConfig(KafkaClientOverrides.producer(INTERVAL, TIMEOUT))
			.consumerConfig(KafkaClientOverrides.consumer(INTERVAL, TIMEOUT))
			.clientIdPrefix(clientIdPrefix)
			.build());
		this.resources.add(transport);
		return transport;
	}

	private static String brokers() {
		return EmbeddedKafkaCondition.getBroker().getBrokersAsString();
	}

}
