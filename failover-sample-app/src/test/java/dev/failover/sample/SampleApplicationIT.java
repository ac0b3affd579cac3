package dev.failover.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import dev.failover.core.Watcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two sample instances against a real broker: one writes the ledger; after its crash the
 * other takes over, and the ledger shows one writer at a time with rising epochs.
 */
class SampleApplicationIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final EmbeddedKafkaBroker broker = new EmbeddedKafkaKraftBroker(1, 1)
		.brokerProperties(Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	@org.junit.jupiter.api.io.TempDir
	java.nio.file.Path roleLogs;

	@AfterEach
	void stop() {
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.broker.destroy();
	}

	@Test
	void theLedgerHasOneWriterAtATimeAcrossAFailover() throws Exception {
		this.broker.afterPropertiesSet();
		this.instances.add(start("sample-1"));
		this.instances.add(start("sample-2"));
		ConfigurableApplicationContext primary = awaitPrimary(this.instances);
		LedgerWriter firstWriter = primary.getBean(LedgerWriter.class);
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> firstWriter.written() >= 5);

		JsonNode status = get(primary, "/status");
		assertThat(status.get("role").asString()).isEqualTo("primary");
		assertThat(status.get("members")).hasSize(2);
		assertThat(get(primary, "/actuator/failover").get("role").asString()).isEqualTo("primary");

		primary.getBean(Watcher.class).closeAbruptly();
		ConfigurableApplicationContext successor = this.instances.get((this.instances.indexOf(primary) + 1) % 2);
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> successor.getBean(Watcher.class).isPrimary());
		LedgerWriter secondWriter = successor.getBean(LedgerWriter.class);
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> secondWriter.written() >= 5);
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> get(successor, "/status").get("ledger").get("tail").size() > 0);

		List<String> roleLog = java.nio.file.Files.readAllLines(this.roleLogs.resolve(successorIdOf(successor) + ".jsonl"));
		assertThat(roleLog).hasSize(1);
		assertThat(json.readTree(roleLog.get(0)).get("to").asString()).isEqualTo("primary");
		assertThat(json.readTree(roleLog.get(0)).get("cause").asString()).isEqualTo("PRIMARY_SILENT");

		List<JsonNode> ledger = readLedger();
		assertThat(ledger).hasSizeGreaterThanOrEqualTo(10);
		long epoch = 0;
		for (JsonNode record : ledger) {
			assertThat(record.get("epoch").asLong()).as("epochs never go down in the ledger").isGreaterThanOrEqualTo(epoch);
			epoch = record.get("epoch").asLong();
		}
		String successorId = successor.getBean(Watcher.class).instanceId();
		int firstOfSuccessor = -1;
		for (int i = 0; i < ledger.size(); i++) {
			if (ledger.get(i).get("instanceId").asString().equals(successorId)) {
				firstOfSuccessor = i;
				break;
			}
		}
		assertThat(firstOfSuccessor).isPositive();
		assertThat(ledger.subList(firstOfSuccessor, ledger.size()))
			.as("no write of the deposed primary after its successor's first")
			.allSatisfy((record) -> assertThat(record.get("instanceId").asString()).isEqualTo(successorId));
	}

	private ConfigurableApplicationContext start(String id) {
		return new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
				"--spring.kafka.bootstrap-servers=" + this.broker.getBrokersAsString(), "--failover.instance-id=" + id,
				"--failover.heartbeat-interval=200ms", "--failover.heartbeat-timeout=1s", "--spring.main.banner-mode=off",
				"--sample.role-log=" + this.roleLogs.resolve(id + ".jsonl"));
	}

	private static String successorIdOf(ConfigurableApplicationContext context) {
		return context.getBean(Watcher.class).instanceId();
	}

	private static ConfigurableApplicationContext awaitPrimary(List<ConfigurableApplicationContext> contexts) {
		return Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> contexts.stream().filter((c) -> c.getBean(Watcher.class).isPrimary()).toList(),
					(primaries) -> primaries.size() == 1)
			.get(0);
	}

	private static JsonNode get(ConfigurableApplicationContext context, String path) throws Exception {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private List<JsonNode> readLedger() {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString(),
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				ByteArrayDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		List<JsonNode> records = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
			TopicPartition partition = new TopicPartition("failover-sample-ledger", 0);
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			long end = consumer.endOffsets(Set.of(partition)).get(partition);
			while (consumer.position(partition) < end) {
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					records.add(json.readTree(new String(record.value(), StandardCharsets.UTF_8)));
				}
			}
		}
		return records;
	}

}
