package dev.failover.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.failover.testkit.TcpProxy.Mode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * One real broker for the whole class, to stay fast: the tests run in order, and the last
 * ones stop, restart and kill it.
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class KafkaBrokerTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private static final String TOPIC = "testkit";

	private KafkaBroker broker;

	@BeforeAll
	void startBroker() {
		this.broker = KafkaBroker.builder()
			.proxiedListener("INST1")
			.proxiedListener("INST2")
			// the restart after kill() waits out the killed broker's session: keep that short
			.property("broker.heartbeat.interval.ms", "1000")
			.property("broker.session.timeout.ms", "4000")
			.start();
		this.broker.createTopic(TOPIC, 1);
	}

	@AfterAll
	void closeBroker() {
		if (this.broker == null) {
			return;
		}
		this.broker.close();
		assertThat(this.broker.isAlive()).isFalse();
		assertThat(this.broker.dataDir()).doesNotExist();
		assertThat(this.broker.proxy("INST1").cutMode()).isEmpty();
	}

	@Test
	@Order(1)
	void directClientsRoundTripARecord() throws Exception {
		try (KafkaProducer<String, String> producer = producer(this.broker.bootstrapServers(), false)) {
			producer.send(new ProducerRecord<>(TOPIC, "k", "direct")).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
		}
		assertThat(readValues(this.broker.bootstrapServers())).contains("direct");
		assertThat(this.broker.bootstrapServers()).isEqualTo("127.0.0.1:" + this.broker.port());
	}

	@Test
	@Order(2)
	void proxiedClientsRoundTripARecordAndAreToldToStayBehindTheirProxy() throws Exception {
		TcpProxy inst1 = this.broker.proxy("INST1");
		String bootstrap = this.broker.bootstrapServers("INST1");
		assertThat(bootstrap).isEqualTo(inst1.address());

		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
			Collection<Node> nodes = admin.describeCluster().nodes().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
			// the broker advertises the proxy on this listener, so clients never learn the real port
			assertThat(nodes).extracting(Node::port).containsExactly(inst1.port());
		}
		long toBroker = inst1.bytesToTarget();
		try (KafkaProducer<String, String> producer = producer(bootstrap, false)) {
			producer.send(new ProducerRecord<>(TOPIC, "k", "via-proxy")).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
		}
		assertThat(readValues(bootstrap)).contains("via-proxy");
		assertThat(inst1.bytesToTarget()).isGreaterThan(toBroker);
		assertThat(inst1.bytesFromTarget()).isPositive();
		assertThat(this.broker.proxy("INST2").connectionsAccepted()).isZero();
		assertThat(this.broker.listenerPort("INST1")).isNotIn(inst1.port(), this.broker.port());
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	@Order(3)
	void aProxyCutTimesOutAProducerBehindItWhileDirectClientsKeepWorking(Mode mode) throws Exception {
		TcpProxy inst1 = this.broker.proxy("INST1");
		try (KafkaProducer<String, String> isolated = producer(this.broker.bootstrapServers("INST1"), true);
				KafkaProducer<String, String> direct = producer(this.broker.bootstrapServers(), false)) {
			isolated.send(new ProducerRecord<>(TOPIC, "k", "before-cut")).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

			inst1.cut(mode);
			try {
				Throwable failure = catchThrowable(() -> isolated.send(new ProducerRecord<>(TOPIC, "k", "during-cut"))
					.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
				assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);

				RecordMetadata written = direct.send(new ProducerRecord<>(TOPIC, "k", "direct-during-cut"))
					.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
				assertThat(written.offset()).isNotNegative();
			}
			finally {
				inst1.restore();
			}
			// the same producer recovers by itself once the network is back
			assertThat(sendUntilAcknowledged(isolated, "after-restore")).isNotNegative();
			isolated.close(Duration.ofSeconds(5));
		}
	}

	@Test
	@Order(4)
	void listenerLookupsNameTheUnknownListener() {
		assertThatThrownBy(() -> this.broker.bootstrapServers("NOPE")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("NOPE")
			.hasMessageContaining("INST1");
		assertThatThrownBy(() -> this.broker.proxy("NOPE")).hasMessageContaining("NOPE");
		assertThatThrownBy(() -> KafkaBroker.builder().proxiedListener("inst1")).hasMessageContaining("inst1");
		assertThatThrownBy(() -> KafkaBroker.builder().proxiedListener("CONTROLLER")).hasMessageContaining("reserved");
	}

	@Test
	@Order(5)
	void stopAndRestartKeepTheDataOnTheSamePorts() throws Exception {
		try (KafkaProducer<String, String> producer = producer(this.broker.bootstrapServers(), false)) {
			producer.send(new ProducerRecord<>(TOPIC, "k", "durable")).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
		}
		long firstPid = this.broker.pid();
		String bootstrap = this.broker.bootstrapServers();

		this.broker.stop();

		assertThat(this.broker.isAlive()).isFalse();
		assertThat(this.broker.process().exitCode()).hasValue(143);

		this.broker.restart();

		assertThat(this.broker.pid()).isNotEqualTo(firstPid);
		assertThat(this.broker.bootstrapServers()).isEqualTo(bootstrap);
		assertThat(readValues(bootstrap)).contains("direct", "via-proxy", "durable");
		// the proxies outlive the broker process, so clients behind them need no new address
		assertThat(readValues(this.broker.bootstrapServers("INST2"))).contains("durable");
	}

	@Test
	@Order(6)
	void killLeavesNoProcessAndARestartRecoversTheData() throws IOException {
		long pid = this.broker.pid();

		this.broker.kill();

		assertThat(this.broker.isAlive()).isFalse();
		assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
		assertThat(this.broker.process().exitCode()).hasValue(137);

		this.broker.restart();

		assertThat(readValues(this.broker.bootstrapServers())).contains("durable");
		assertThat(Files.readString(this.broker.logFile()).split("Kafka Server started", -1)).hasSize(4);
	}

	private static KafkaProducer<String, String> producer(String bootstrap, boolean failFast) {
		Map<String, Object> config = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0));
		if (failFast) {
			// fail a send within about 2 s of a cut, and reconnect quickly after a restore
			config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
			config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
			config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2000);
			config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
			config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
			config.put(ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 1000);
			config.put(ProducerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 2000);
		}
		return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
	}

	private static long sendUntilAcknowledged(KafkaProducer<String, String> producer, String value) throws Exception {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (true) {
			try {
				return producer.send(new ProducerRecord<>(TOPIC, "k", value)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS)
					.offset();
			}
			catch (ExecutionException ex) {
				// a send racing the reconnect may still expire; the next one must get through
				if (!(ex.getCause() instanceof TimeoutException) || System.nanoTime() - deadline > 0) {
					throw ex;
				}
			}
		}
	}

	private static List<String> readValues(String bootstrap) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		TopicPartition partition = new TopicPartition(TOPIC, 0);
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			// assign instead of subscribe: no consumer group, so no coordinator and no rebalance to wait for
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			long end = consumer.endOffsets(List.of(partition), DEADLINE).get(partition);
			List<String> values = new ArrayList<>();
			long deadline = System.nanoTime() + DEADLINE.toNanos();
			while (consumer.position(partition, DEADLINE) < end) {
				if (System.nanoTime() - deadline > 0) {
					throw new AssertionError("Could not read " + TOPIC + " up to offset " + end + " from " + bootstrap);
				}
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					values.add(record.value());
				}
			}
			return values;
		}
	}

}
