package dev.failover.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.failover.actuate.FailoverEndpoint;
import dev.failover.boot4.FailoverHealthIndicator;
import dev.failover.micrometer.FailoverMeterBinder;

import static org.assertj.core.api.Assertions.assertThat;
import dev.failover.boot4.FailoverHealthAutoConfiguration;

class FailoverActuatorAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FailoverAutoConfiguration.class,
				FailoverEndpointAutoConfiguration.class, FailoverHealthAutoConfiguration.class,
				FailoverMetricsAutoConfiguration.class))
		.withUserConfiguration(FailoverAutoConfigurationTest.InMemoryTransport.class)
		.withPropertyValues("spring.application.name=orders");

	@Test
	void theEndpointExistsOnlyWhenExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(FailoverEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=failover")
			.run((context) -> assertThat(context).hasSingleBean(FailoverEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=failover",
				"management.endpoint.failover.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(FailoverEndpoint.class));
	}

	@Test
	void theEndpointNeedsActuator() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=failover")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(FailoverEndpoint.class));
	}

	@Test
	void theHealthIndicatorIsOnByDefaultAndCanBeTurnedOff() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(FailoverHealthIndicator.class).hasBean("failoverHealthIndicator");
			Health health = context.getBean(FailoverHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("role", "primary")
				.containsEntry("epoch", 0L)
				.containsEntry("primary", context.getBean(dev.failover.core.Watcher.class).instanceId());
		});
		this.runner.withPropertyValues("management.health.failover.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FailoverHealthIndicator.class));
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health.contributor"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(FailoverHealthIndicator.class));
	}

	@Test
	void theOperatorChoosesWhatAnUnreachableLogDoesToHealth() {
		dev.failover.core.testing.InMemoryLog log = new dev.failover.core.testing.InMemoryLog(
				dev.failover.core.spi.FailoverClock.system());
		log.partition("cut-off");
		ApplicationContextRunner cutOff = this.runner
			.withAllowBeanDefinitionOverriding(true)
			.withBean("transport", dev.failover.core.spi.Transport.class, () -> log.connect("cut-off"))
			.withPropertyValues("failover.enabled=true", "failover.heartbeat-interval=100ms",
					"failover.heartbeat-timeout=300ms");
		try {
			cutOff.run((context) -> assertThat(context.getBean(FailoverHealthIndicator.class).health().getStatus())
				.isEqualTo(org.springframework.boot.health.contributor.Status.DOWN));
			cutOff.withPropertyValues("failover.health.log-unreachable-status=unknown")
				.run((context) -> {
					Health health = context.getBean(FailoverHealthIndicator.class).health();
					assertThat(health.getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UNKNOWN);
					assertThat(health.getDetails()).containsEntry("problem", "the heartbeat topic cannot be read");
				});
			cutOff.withPropertyValues("failover.health.log-unreachable-status=sideways")
				.run((context) -> assertThat(FailoverAutoConfigurationTest.analysis(context.getStartupFailure())
					.getDescription()).contains("failover.health.log-unreachable-status", "'sideways'"));
		}
		finally {
			log.close();
			// its thread runs its last delayed task, then ends: later tests check that none is left
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(10))
				.until(() -> Thread.getAllStackTraces()
					.keySet()
					.stream()
					.noneMatch((thread) -> thread.getName().equals("failover-in-memory-log")));
		}
	}

	@Test
	void metricsNeedAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(FailoverMeterBinder.class));
		this.runner.withUserConfiguration(Registry.class).run((context) -> {
			assertThat(context).hasSingleBean(FailoverMeterBinder.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(FailoverMeterBinder.class).bindTo(registry);
			assertThat(registry.get("failover.role").tag("role", "primary").gauge().value()).isEqualTo(1.0);
			assertThat(registry.get("failover.role").tag("role", "secondary").gauge().value()).isEqualTo(0.0);
			assertThat(registry.get("failover.epoch").gauge().value()).isZero();
			assertThat(registry.get("failover.records.rejected").tag("reason", "malformed").functionCounter().count())
				.isZero();
			assertThat(registry.get("failover.role.transitions").counters()).isNotEmpty();
		});
		this.runner.withUserConfiguration(Registry.class)
			.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(FailoverMeterBinder.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
