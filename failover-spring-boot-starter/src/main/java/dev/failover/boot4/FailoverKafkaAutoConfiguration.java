package dev.failover.boot4;

import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

import dev.failover.autoconfigure.FailoverAutoConfiguration;
import dev.failover.config.FailoverProperties;
import dev.failover.core.spi.Transport;
import dev.failover.internal.KafkaTransports;
import dev.failover.kafka.KafkaTransport;

/**
 * Auto-configuration of the Kafka heartbeat transport on Spring Boot 4, whose Kafka
 * support lives in {@code org.springframework.boot.kafka.autoconfigure}: what
 * {@code spring.kafka.*} and the connection details give each client, for
 * {@link KafkaTransports}. No connection is opened until the watcher joins its group, so with
 * {@code failover.enabled=false} nothing connects.
 */
@AutoConfiguration(before = FailoverAutoConfiguration.class,
		afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(name = { "org.apache.kafka.clients.producer.KafkaProducer",
		"org.springframework.kafka.core.ProducerFactory",
		"org.springframework.boot.kafka.autoconfigure.KafkaProperties" })
public final class FailoverKafkaAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(Transport.class)
	KafkaTransport failoverKafkaTransport(FailoverProperties properties,
			ObjectProvider<ProducerFactory<?, ?>> producerFactory, ObjectProvider<ConsumerFactory<?, ?>> consumerFactory,
			ObjectProvider<KafkaAdmin> kafkaAdmin, ObjectProvider<KafkaProperties> kafkaProperties,
			ObjectProvider<KafkaConnectionDetails> connectionDetails) {
		KafkaProperties boot = kafkaProperties.getIfAvailable(KafkaProperties::new);
		KafkaConnectionDetails details = connectionDetails.getIfUnique();
		return KafkaTransports.create(properties, producerFactory, consumerFactory, kafkaAdmin, (client) -> {
			Map<String, Object> settings = switch (client) {
				case PRODUCER -> boot.buildProducerProperties();
				case CONSUMER -> boot.buildConsumerProperties();
				case ADMIN -> boot.buildAdminProperties();
			};
			if (details == null) {
				return settings;
			}
			KafkaConnectionDetails.Configuration connection = switch (client) {
				case PRODUCER -> details.getProducer();
				case CONSUMER -> details.getConsumer();
				case ADMIN -> details.getAdmin();
			};
			return KafkaTransports.withConnection(settings, connection.getBootstrapServers(),
					connection.getSecurityProtocol(), connection.getSslBundle(), SslBundleSslEngineFactory.class);
		});
	}

}
