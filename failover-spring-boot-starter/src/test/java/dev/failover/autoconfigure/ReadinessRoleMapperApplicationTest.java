package dev.failover.autoconfigure;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.failover.core.Watcher;
import dev.failover.core.spi.FailoverClock;
import dev.failover.core.testing.InMemoryLog;
import dev.failover.core.spi.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness follows the role in real application runs (not a context runner): Boot declares
 * every application ready to accept traffic right after start-up, and a secondary must
 * refuse traffic from then on, while the primary accepts it.
 */
class ReadinessRoleMapperApplicationTest {

	private static InMemoryLog LOG;

	private ConfigurableApplicationContext primary;

	private ConfigurableApplicationContext secondary;

	@BeforeAll
	static void openLog() {
		LOG = new InMemoryLog(FailoverClock.system());
	}

	@AfterAll
	static void closeLog() {
		// its thread must not outlive the class: other tests check that nothing is left running
		LOG.close();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> Thread.getAllStackTraces()
				.keySet()
				.stream()
				.noneMatch((thread) -> thread.getName().equals("failover-in-memory-log")));
	}

	@AfterEach
	void close() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.secondary,
				this.primary }) {
			if (context != null) {
				context.close();
			}
		}
	}

	@Test
	void aSecondaryRefusesTrafficFromStartUpOnAndThePrimaryAcceptsIt() {
		this.primary = start("a", "primary");
		this.secondary = start("b", "secondary");
		// at once after start-up, before and after the election
		assertThat(readiness(this.secondary)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
		// the preferred primary refuses too until it has won (it may have won already)
		assertThat(readiness(this.primary) == ReadinessState.REFUSING_TRAFFIC
				|| this.primary.getBean(Watcher.class).isPrimary()).isTrue();
		Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> this.primary.getBean(Watcher.class).isPrimary());
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> readiness(this.primary) == ReadinessState.ACCEPTING_TRAFFIC);
		assertThat(readiness(this.secondary)).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
		// a handover moves it
		this.primary.getBean(Watcher.class).switchover("b");
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> readiness(this.secondary) == ReadinessState.ACCEPTING_TRAFFIC
					&& readiness(this.primary) == ReadinessState.REFUSING_TRAFFIC);
	}

	private static ReadinessState readiness(ConfigurableApplicationContext context) {
		return context.getBean(ApplicationAvailability.class).getReadinessState();
	}

	private static ConfigurableApplicationContext start(String id, String role) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("spring.application.name=readiness", "failover.enabled=true", "failover.instance-id=" + id,
					"failover.role=" + role, "failover.readiness.enabled=true", "failover.heartbeat-interval=200ms",
					"failover.heartbeat-timeout=600ms", "failover.rehearse-handover=false")
			.run();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		Transport transport(org.springframework.core.env.Environment environment) {
			return LOG.connect(environment.getProperty("failover.instance-id"));
		}

	}

}
