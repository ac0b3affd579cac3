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
import dev.failover.kafka.InvalidKafkaOptionException;
import dev.failover.kafka.KafkaClientOverrides;
import dev.failover.kafka.KafkaTransport;
import dev.failover.kafka.KafkaTransportOptions;
import dev.failover.config.FailoverProperties;

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

	/** The properties behind the transport's options, as the failure analysis names them. */
	private static final Map<String, String> PROPERTIES = Map.of("topic", "kafka.topic", "partitions",
			"kafka.partitions", "partition", "kafka.partition", "replicationFactor", "kafka.replication-factor",
			"minCompactionLag", "kafka.min-compaction-lag", "adminTimeout", "kafka.operation-timeout");

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(Transport.class)
	KafkaTransport failoverKafkaTransport(FailoverProperties properties,
			ObjectProvider<ProducerFactory<?, ?>> producerFactory, ObjectProvider<ConsumerFactory<?, ?>> consumerFactory,
			ObjectProvider<KafkaAdmin> kafkaAdmin, ObjectProvider<KafkaProperties> kafkaProperties,
			ObjectProvider<KafkaConnectionDetails> connectionDetails) {
		FailoverConfig config = properties.toConfig();
		FailoverProperties.Kafka kafka = properties.getKafka();
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
		return new KafkaTransport(build(options));
	}

	/**
	 * Builds the options, reporting an invalid one under its property: the Kafka transport
	 * is the one place that validates them.
	 */
	private static KafkaTransportOptions build(KafkaTransportOptions.Builder options) {
		try {
			return options.build();
		}
		catch (InvalidKafkaOptionException ex) {
			String property = PROPERTIES.get(ex.getOption());
			if (property == null) {
				throw ex;
			}
			String option = java.util.regex.Pattern.quote(ex.getOption());
			throw new FailoverConfigException(property, ex.getProblem().replaceFirst("^" + option + "\\b", property),
					ex.getFix().replaceFirst("^Set " + option + "\\b", "Set " + property));
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
