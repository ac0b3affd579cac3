package dev.failover.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

import dev.failover.config.FailoverProperties;
import dev.failover.core.FailoverConfig;
import dev.failover.core.FailoverConfigException;
import dev.failover.kafka.InvalidKafkaOptionException;
import dev.failover.kafka.KafkaClientOverrides;
import dev.failover.kafka.KafkaTransport;
import dev.failover.kafka.KafkaTransportOptions;

/**
 * Builds the Kafka transport of an application, the same way on every Spring Boot
 * generation: the producer, consumer and admin settings come from the application's own
 * factory if it has exactly one (Boot's, or its replacement), else from
 * {@code spring.kafka.*} with its connection details (which the generation's
 * auto-configuration reads, since Boot keeps them in other packages on each); then
 * failover's timeouts derived from the heartbeat settings; then
 * {@code failover.kafka.properties.*}. The transport finally enforces what the protocol
 * cannot work without ({@code acks=all}, idempotence, no consumer group).
 */
public final class KafkaTransports {

	/** The kind of Kafka client a set of settings is for. */
	public enum Client {

		/** The producer. */
		PRODUCER,

		/** The consumers. */
		CONSUMER,

		/** The admin client. */
		ADMIN

	}

	/** The properties behind the transport's options, as the failure analysis names them. */
	private static final Map<String, String> PROPERTIES = Map.of("topic", "kafka.topic", "partitions",
			"kafka.partitions", "partition", "kafka.partition", "replicationFactor", "kafka.replication-factor",
			"minCompactionLag", "kafka.min-compaction-lag", "adminTimeout", "kafka.operation-timeout");

	private KafkaTransports() {
	}

	/**
	 * Creates the transport.
	 * @param properties the {@code failover.*} properties
	 * @param producerFactory the application's producer factories
	 * @param consumerFactory the application's consumer factories
	 * @param kafkaAdmin the application's admin beans
	 * @param fromBoot the settings {@code spring.kafka.*} and the connection details give a
	 * client, for an application without exactly one factory of its kind
	 * @return the transport, not yet connected
	 * @throws FailoverConfigException naming the property of an invalid option
	 */
	public static KafkaTransport create(FailoverProperties properties, ObjectProvider<ProducerFactory<?, ?>> producerFactory,
			ObjectProvider<ConsumerFactory<?, ?>> consumerFactory, ObjectProvider<KafkaAdmin> kafkaAdmin,
			java.util.function.Function<Client, Map<String, Object>> fromBoot) {
		FailoverConfig config = properties.toConfig();
		FailoverProperties.Kafka kafka = properties.getKafka();
		// with several factories (one per serializer or cluster) none of them is ours to pick
		ProducerFactory<?, ?> producerBean = producerFactory.getIfUnique();
		ConsumerFactory<?, ?> consumerBean = consumerFactory.getIfUnique();
		KafkaAdmin adminBean = kafkaAdmin.getIfUnique();
		Map<String, Object> producer = merge(
				base((producerBean != null) ? producerBean::getConfigurationProperties : null,
						() -> fromBoot.apply(Client.PRODUCER)),
				KafkaClientOverrides.producer(config.heartbeatInterval(), config.heartbeatTimeout()),
				kafka.getProperties());
		Map<String, Object> consumer = merge(
				base((consumerBean != null) ? consumerBean::getConfigurationProperties : null,
						() -> fromBoot.apply(Client.CONSUMER)),
				KafkaClientOverrides.consumer(config.heartbeatInterval(), config.heartbeatTimeout()),
				kafka.getProperties());
		Map<String, Object> admin = merge(
				base((adminBean != null) ? adminBean::getConfigurationProperties : null,
						() -> fromBoot.apply(Client.ADMIN)),
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
	 * Applies Boot's Kafka connection details (bootstrap servers, security protocol, SSL
	 * bundle) to client settings built from {@code spring.kafka.*}, as Boot's own Kafka
	 * auto-configuration does for the factories it creates.
	 * @param settings the settings from {@code spring.kafka.*}
	 * @param bootstrapServers the servers the details name
	 * @param securityProtocol the security protocol they name, or {@code null}
	 * @param sslBundle the SSL bundle they name, or {@code null}
	 * @param sslEngineFactory Boot's engine factory that reads the bundle from the settings
	 * @return a new map
	 */
	public static Map<String, Object> withConnection(Map<String, Object> settings, List<String> bootstrapServers,
			String securityProtocol, SslBundle sslBundle, Class<?> sslEngineFactory) {
		Map<String, Object> result = new LinkedHashMap<>(settings);
		result.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		if (securityProtocol != null) {
			result.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
		}
		if (sslBundle != null) {
			// what Boot's SslBundleSslEngineFactory reads its bundle from
			result.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, sslEngineFactory);
			result.put(SslBundle.class.getName(), sslBundle);
		}
		return result;
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
			String option = Pattern.quote(ex.getOption());
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
