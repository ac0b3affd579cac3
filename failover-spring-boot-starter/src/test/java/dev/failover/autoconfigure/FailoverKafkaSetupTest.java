package dev.failover.autoconfigure;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

import dev.failover.kafka.KafkaTransport;
import dev.failover.kafka.KafkaTransportOptions;

import static org.assertj.core.api.Assertions.assertThat;
import dev.failover.boot4.FailoverKafkaAutoConfiguration;

/**
 * Where the Kafka transport takes its client settings from, in applications with more than
 * one Kafka setup: the application's unique factory, or else {@code spring.kafka.*} with the
 * application's connection details (bootstrap servers, security protocol, SSL bundle).
 */
class FailoverKafkaSetupTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, FailoverKafkaAutoConfiguration.class,
				FailoverAutoConfiguration.class))
		.withPropertyValues("spring.application.name=orders", "spring.kafka.bootstrap-servers=127.0.0.1:9001");

	@Test
	void theApplicationsUniqueProducerFactoryIsUsed() {
		this.runner.withUserConfiguration(OneFactory.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(options(context.getBean(KafkaTransport.class)).producerConfig())
				.containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1111");
		});
	}

	@Test
	void twoProducerFactoriesAndTheApplicationsOwnTemplateStartWithSpringKafkaSettings() {
		this.runner.withUserConfiguration(TwoFactories.class).run((context) -> {
			assertThat(context).hasNotFailed();
			KafkaTransportOptions options = options(context.getBean(KafkaTransport.class));
			assertThat(servers(options.producerConfig())).isEqualTo("127.0.0.1:9001");
			assertThat(servers(options.consumerConfig())).isEqualTo("127.0.0.1:9001");
			assertThat(servers(options.adminConfig())).isEqualTo("127.0.0.1:9001");
		});
	}

	@Test
	void withSeveralFactoriesTheApplicationsConnectionDetailsNameTheClusterAndItsSslBundle() {
		this.runner.withUserConfiguration(TwoFactories.class, CustomConnectionDetails.class).run((context) -> {
			assertThat(context).hasNotFailed();
			KafkaTransportOptions options = options(context.getBean(KafkaTransport.class));
			for (Map<String, Object> config : List.of(options.producerConfig(), options.consumerConfig(),
					options.adminConfig())) {
				assertThat(servers(config)).isEqualTo("127.0.0.1:7777");
				assertThat(config).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL")
					.containsEntry(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class)
					.containsEntry(SslBundle.class.getName(), CustomConnectionDetails.BUNDLE);
			}
		});
	}

	private static KafkaTransportOptions options(KafkaTransport transport) {
		return transport.options();
	}

	private static String servers(Map<String, Object> config) {
		Object servers = config.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		return (servers instanceof List<?> list) ? String.join(",", list.stream().map(String::valueOf).toList())
				: String.valueOf(servers);
	}

	private static ProducerFactory<String, String> factory(String servers) {
		return new DefaultKafkaProducerFactory<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers),
				new StringSerializer(), new StringSerializer());
	}

	@Configuration(proxyBeanMethods = false)
	static class OneFactory {

		@Bean
		ProducerFactory<Object, Object> ordersProducerFactory() {
			return new DefaultKafkaProducerFactory<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1111"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoFactories {

		@Bean
		ProducerFactory<String, String> ordersProducerFactory() {
			return factory("127.0.0.1:1111");
		}

		@Bean
		ProducerFactory<String, String> auditProducerFactory() {
			return factory("127.0.0.1:2222");
		}

		@Bean
		KafkaTemplate<String, String> kafkaTemplate(ProducerFactory<String, String> ordersProducerFactory) {
			return new KafkaTemplate<>(ordersProducerFactory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomConnectionDetails {

		static final SslBundle BUNDLE = SslBundle.of(SslStoreBundle.NONE);

		@Bean
		KafkaConnectionDetails kafkaConnectionDetails() {
			return new KafkaConnectionDetails() {

				@Override
				public List<String> getBootstrapServers() {
					return List.of("127.0.0.1:7777");
				}

				@Override
				public SslBundle getSslBundle() {
					return BUNDLE;
				}

				@Override
				public String getSecurityProtocol() {
					return "SSL";
				}

			};
		}

	}

}
