package dev.failover.test.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.failover.autoconfigure.FailoverAutoConfiguration;
import dev.failover.boot4.FailoverKafkaAutoConfiguration;
import dev.failover.core.Watcher;
import dev.failover.core.spi.Transport;
import dev.failover.event.RoleChangedEventPublisher;
import dev.failover.kafka.KafkaTransport;
import dev.failover.test.FailoverTestSupport;
import dev.failover.test.RecordingRoleChangedEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;

class FailoverTestAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, FailoverKafkaAutoConfiguration.class,
				FailoverAutoConfiguration.class, FailoverTestAutoConfiguration.class))
		.withPropertyValues("failover.enabled=true", "failover.group=orders", "failover.rehearse-handover=false",
				"failover.heartbeat-interval=200ms", "failover.heartbeat-timeout=1s");

	@Test
	void theInMemoryTransportMakesTheKafkaTransportBackOff() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(Transport.class)
				.doesNotHaveBean(KafkaTransport.class)
				.hasSingleBean(RoleChangedEventPublisher.class)
				.hasSingleBean(RecordingRoleChangedEventPublisher.class)
				.hasSingleBean(FailoverTestSupport.class);
			FailoverTestSupport failover = context.getBean(FailoverTestSupport.class);
			assertThat(failover.watcher()).isSameAs(context.getBean(Watcher.class));
			assertThat(failover.watcher().isPrimary()).isFalse();
		});
	}

	@Test
	void aRoleChangedEventPublisherOfTheApplicationFailsTheContextWithTheReason() {
		this.runner.withUserConfiguration(OwnPublisher.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("defines a RoleChangedEventPublisher of its own");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPublisher {

		@Bean
		RoleChangedEventPublisher ownPublisher(Watcher watcher, ApplicationEventPublisher publisher) {
			return new RoleChangedEventPublisher(watcher, publisher);
		}

	}

}
