package dev.failover.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

import dev.failover.core.FailoverConfig;
import dev.failover.core.FailoverConfigException;
import dev.failover.core.spi.Transport;
import dev.failover.kafka.KafkaClientOverrides;
import dev.failover.kafka.KafkaTransport;
import dev.failover.kafka.KafkaTransportOptions;

/**
 * Auto-configuration of the Kafka heartbeat transport.
 * <p>
 * The producer, consumer and admin settings come from Boot's Kafka auto-configuration
 * ({@code spring.kafka.*}, including connection details and SSL bundles), then failover's
 * timeouts derived from the heartbeat settings, then {@code failover.kafka.properties.*};
 * the transport finally enforces what the protocol cannot work without ({@code acks=all},
 * idempotence, no consumer group). No connection is opened until the watcher joins its
 * group, so with {@code failover.enabled=false} nothing connects.
 */
@AutoConfiguration(before = FailoverAutoConfiguration.class,
		afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(name = { "org.apache.kafka.clients.producer.KafkaProducer",
		"org.springframework.kafka.core.ProducerFactory" })
public final class FailoverKafkaAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(Transport.class)
	KafkaTransport failoverKafkaTransport(FailoverProperties properties,
			ObjectProvider<ProducerFactory<?, ?>> producerFactory, ObjectProvider<ConsumerFactory<?, ?>> consumerFactory,
			ObjectProvider<KafkaAdmin> kafkaAdmin, ObjectProvider<KafkaProperties> kafkaProperties,
			ObjectProvider<KafkaConnectionDetails> connectionDetails) {
		FailoverConfig config = properties.toConfig();
		FailoverProperties.Kafka kafka = properties.getKafka();
		validate(kafka);
		KafkaProperties boot = kafkaProperties.getIfAvailable(KafkaProperties::new);
		// the application's own factory if it has exactly one (Boot's, or its replacement);
		// with several (one per serializer or cluster) none of them is ours to pick, so the
		// settings come from spring.kafka.* and the connection details, as Boot's would
		KafkaConnectionDetails details = connectionDetails.getIfUnique();
		ProducerFactory<?, ?> producerBean = producerFactory.getIfUnique();
		ConsumerFactory<?, ?> consumerBean = consumerFactory.getIfUnique();
		KafkaAdmin adminBean = kafkaAdmin.getIfUnique();
		Map<String, Object> producer = merge(
				base((producerBean != null) ? producerBean::getConfigurationProperties : null,
						() -> KafkaConnection.apply(boot.buildProducerProperties(),
								(details != null) ? details.getProducer() : null)),
				KafkaClientOverrides.producer(config.heartbeatInterval(), config.heartbeatTimeout()),
				kafka.getProperties());
		Map<String, Object> consumer = merge(
				base((consumerBean != null) ? consumerBean::getConfigurationProperties : null,
						() -> KafkaConnection.apply(boot.buildConsumerProperties(),
								(details != null) ? details.getConsumer() : null)),
				KafkaClientOverrides.consumer(config.heartbeatInterval(), config.heartbeatTimeout()),
				kafka.getProperties());
		Map<String, Object> admin = merge(
				base((adminBean != null) ? adminBean::getConfigurationProperties : null,
						() -> KafkaConnection.apply(boot.buildAdminProperties(),
								(details != null) ? details.getAdmin() : null)),
				Map.of(), kafka.getProperties());
		KafkaTransportOptions.Builder options = KafkaTransportOptions.builder()
			.topic(kafka.getTopic())
			.producerConfig(producer)
			.consumerConfig(consumer)
			.adminConfig(admin)
			.partitions(kafka.getPartitions())
			.partition(kafka.getPartition())
			.minCompactionLag(kafka.getMinCompactionLag())
			.adminTimeout(kafka.getOperationTimeout())
			.ensureTopicOnFirstRead(kafka.isCreateTopic());
		if (kafka.getReplicationFactor() != null) {
			options.replicationFactor(kafka.getReplicationFactor());
		}
		return new KafkaTransport(options.build());
	}

	private static void validate(FailoverProperties.Kafka kafka) {
		if (kafka.getTopic() == null || !kafka.getTopic().matches("[a-zA-Z0-9._-]{1,249}")) {
			throw new FailoverConfigException("kafka.topic", "'" + kafka.getTopic() + "' is not a valid Kafka topic name.",
					"Use 1 to 249 letters, digits, '.', '_' or '-', e.g. failover-heartbeats.");
		}
		if (kafka.getOperationTimeout() == null || kafka.getOperationTimeout().isNegative()
				|| kafka.getOperationTimeout().isZero()) {
			throw new FailoverConfigException("kafka.operation-timeout",
					"kafka.operation-timeout (" + kafka.getOperationTimeout() + ") must be positive.",
					"Set kafka.operation-timeout to a positive duration, e.g. 30s.");
		}
		if (kafka.getPartitions() < 1) {
			throw new FailoverConfigException("kafka.partitions",
					"kafka.partitions (" + kafka.getPartitions() + ") must be at least 1.",
					"Set kafka.partitions to 1 (one partition serves any number of groups).");
		}
		if (kafka.getPartition() < 0) {
			throw new FailoverConfigException("kafka.partition",
					"kafka.partition (" + kafka.getPartition() + ") must not be negative.",
					"Set kafka.partition to 0 (the default), or to another partition of the topic; the same on every "
							+ "instance of a group.");
		}
		if (kafka.getReplicationFactor() != null && kafka.getReplicationFactor() < 1) {
			throw new FailoverConfigException("kafka.replication-factor",
					"kafka.replication-factor (" + kafka.getReplicationFactor() + ") must be at least 1.",
					"Set kafka.replication-factor to 3 in production, or leave it unset.");
		}
		if (kafka.getMinCompactionLag() == null || kafka.getMinCompactionLag().isNegative()
				|| kafka.getMinCompactionLag().isZero()) {
			throw new FailoverConfigException("kafka.min-compaction-lag",
					"kafka.min-compaction-lag (" + kafka.getMinCompactionLag() + ") must be positive.",
					"Set kafka.min-compaction-lag to several heartbeat timeouts, e.g. 1h.");
		}
	}

	private static Map<String, Object> base(Supplier<Map<String, Object>> fromBean,
			Supplier<Map<String, Object>> fromProperties) {
		if (fromBean != null) {
			try {
				return fromBean.get();
			}
			catch (UnsupportedOperationException ex) {
				// a custom factory that does not expose its configuration
			}
		}
		return fromProperties.get();
	}

	private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> derived,
			Map<String, String> explicit) {
		Map<String, Object> merged = new LinkedHashMap<>(base);
		merged.putAll(derived);
		merged.putAll(explicit);
		return merged;
	}

}
