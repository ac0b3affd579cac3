package dev.failover.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link KafkaTransportOptions} and the transport's partition choice.
 */
class KafkaTransportOptionsTest {

	@Test
	void hasSafeDefaults() {
		KafkaTransportOptions options = KafkaTransportOptions.builder().bootstrapServers("127.0.0.1:9092").build();
		assertThat(options.topic()).isEqualTo("failover-heartbeats");
		assertThat(options.partitions()).isEqualTo(1);
		assertThat(options.replicationFactor()).isZero();
		assertThat(options.minInSyncReplicas()).isZero();
		assertThat(options.minCompactionLag()).isEqualTo(Duration.ofHours(1));
		assertThat(options.segmentTime()).isEqualTo(Duration.ofHours(1));
		assertThat(options.adminTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(options.clientIdPrefix()).isEqualTo("failover");
		assertThat(options.producerConfig()).containsEntry("bootstrap.servers", "127.0.0.1:9092");
		assertThat(options.consumerConfig()).containsEntry("bootstrap.servers", "127.0.0.1:9092");
		assertThat(options.adminConfig()).containsEntry("bootstrap.servers", "127.0.0.1:9092");
	}

	@Test
	void namesTheBootstrapServersFromTheAdminOrProducerConfiguration() {
		assertThat(KafkaTransportOptions.builder()
			.adminConfig(Map.of("bootstrap.servers", List.of("k1:9092", "k2:9092")))
			.build()
			.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
		assertThat(KafkaTransportOptions.builder()
			.producerConfig(Map.of("bootstrap.servers", "k3:9092"))
			.build()
			.bootstrapServers()).isEqualTo("k3:9092");
	}

	@Test
	void rejectsInvalidSettingsNamingTheOptionTheProblemAndTheFix() {
		assertThatExceptionOfType(InvalidKafkaOptionException.class)
			.isThrownBy(() -> KafkaTransportOptions.builder().topic("a topic").build())
			.satisfies((ex) -> assertThat(ex.getOption()).isEqualTo("topic"))
			.withMessageContaining("'a topic' is not a legal Kafka topic name")
			.withMessageContaining("e.g. failover-heartbeats");
		assertThatExceptionOfType(InvalidKafkaOptionException.class)
			.isThrownBy(() -> KafkaTransportOptions.builder().partitions(0).build())
			.satisfies((ex) -> assertThat(ex.getOption()).isEqualTo("partitions"));
		assertThatExceptionOfType(InvalidKafkaOptionException.class)
			.isThrownBy(() -> KafkaTransportOptions.builder().replicationFactor(0).build())
			.satisfies((ex) -> assertThat(ex.getOption()).isEqualTo("replicationFactor"))
			.satisfies((ex) -> assertThat(ex.getFix()).startsWith("Set replicationFactor to 3"));
		assertThatExceptionOfType(InvalidKafkaOptionException.class)
			.isThrownBy(() -> KafkaTransportOptions.builder().segmentTime(Duration.ZERO).build())
			.satisfies((ex) -> assertThat(ex.getOption()).isEqualTo("segmentTime"));
		assertThatExceptionOfType(InvalidKafkaOptionException.class)
			.isThrownBy(() -> KafkaTransportOptions.builder().clientIdPrefix(" ").build())
			.satisfies((ex) -> assertThat(ex.getOption()).isEqualTo("clientIdPrefix"));
	}

	@Test
	void unsetReplicationSettingsMeanAutomatic() {
		KafkaTransportOptions options = KafkaTransportOptions.builder().build();
		assertThat(options.replicationFactor()).isZero();
		assertThat(options.minInSyncReplicas()).isZero();
	}

	@Test
	void invalidClientSettingsFailWhenTheTransportIsCreated() {
		KafkaTransportOptions options = KafkaTransportOptions.builder()
			.bootstrapServers("127.0.0.1:9092")
			.consumerConfig(Map.of("fetch.max.wait.ms", "soon"))
			.build();
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> new KafkaTransport(options))
			.withMessageContaining("fetch.max.wait.ms");
	}

	@Test
	void everyGroupUsesPartitionZeroUnlessAnotherIsConfigured() {
		assertThat(KafkaTransportOptions.builder().build().partition()).isZero();
		assertThat(KafkaTransportOptions.builder().partition(7).build().partition()).isEqualTo(7);
		try (KafkaTransport transport = new KafkaTransport(
				KafkaTransportOptions.builder().bootstrapServers("127.0.0.1:9092").partition(7).build())) {
			assertThat(transport.partition()).isEqualTo(7);
		}
		assertThatIllegalArgumentException().isThrownBy(() -> KafkaTransportOptions.builder().partition(-1).build())
			.withMessageContaining("partition (-1) must not be negative");
	}

}
