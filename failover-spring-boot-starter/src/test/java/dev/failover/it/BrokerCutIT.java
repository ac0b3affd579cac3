package dev.failover.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.failover.boot4.FailoverHealthIndicator;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.event.RoleChangedEvent;
import dev.failover.testkit.KafkaBroker;
import dev.failover.testkit.TcpProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker becomes unreachable for every instance (a TCP proxy between the clients and a
 * real broker blackholes the traffic, without restarting the broker): nobody is promoted,
 * the primary steps down on its own when its lease lapses, health goes DOWN; when the
 * network heals, the group elects one primary again.
 */
class BrokerCutIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private KafkaBroker broker;

	@AfterEach
	void stop() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		if (this.broker != null) {
			this.broker.close();
		}
	}

	@Test
	void noPromotionWhileTheBrokerIsCutOffAndOnePrimaryAfterwards() {
		this.broker = KafkaBroker.builder().proxiedListener("APPS").start();
		TcpProxy proxy = this.broker.proxy("APPS");
		// the Kafka clients warn about the cut broker, as expected here: muted; a healthy group
		// at default levels, nothing muted, is FailoverClusterIT.aHealthyGroupLogsNoWarningAtDefaultLevels
		for (String id : List.of("a", "b", "c")) {
			this.contexts.add(new SpringApplicationBuilder(ClusterApplication.class).web(WebApplicationType.NONE)
				.properties(Map.of("spring.application.name", "orders", "spring.kafka.bootstrap-servers",
						this.broker.bootstrapServers("APPS"), "failover.enabled", "true", "failover.instance-id", id,
						"failover.heartbeat-interval", "200ms", "failover.heartbeat-timeout", TIMEOUT.toMillis() + "ms",
						"spring.main.banner-mode", "off", "logging.level.org.apache.kafka", "ERROR"))
				.run());
		}
		ConfigurableApplicationContext primary = awaitSinglePrimary();
		long epoch = watcher(primary).epoch();
		// a claim of the start-up race may still be retried until every instance follows the primary
		Optional<String> primaryId = Optional.of(watcher(primary).instanceId());
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> this.contexts.stream().allMatch((context) -> watcher(context).primaryId().equals(primaryId)));
		Map<ConfigurableApplicationContext, Long> claims = new java.util.HashMap<>();
		this.contexts.forEach((context) -> claims.put(context, watcher(context).stats().claimsSent()));

		proxy.cut(TcpProxy.Mode.BLACKHOLE);
		long cutAt = System.nanoTime();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !watcher(primary).isPrimary());
		Duration steppedDownAfter = Duration.ofNanos(System.nanoTime() - cutAt);
		assertThat(steppedDownAfter).as("the primary stops within its lease").isLessThan(TIMEOUT);
		long until = System.nanoTime() + TIMEOUT.multipliedBy(4).toNanos();
		while (System.nanoTime() < until) {
			assertThat(this.contexts).as("no promotion while the log cannot be read")
				.noneMatch((context) -> watcher(context).isPrimary());
			Thread.onSpinWait();
		}
		for (ConfigurableApplicationContext context : this.contexts) {
			assertThat(watcher(context).stats().claimsSent()).isEqualTo(claims.get(context));
			assertThat(context.getBean(FailoverHealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);
		}
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> events(primary).stream().anyMatch((e) -> e.getCause() == RoleChange.Cause.LEASE_EXPIRED));

		proxy.restore();
		long restoredAt = System.nanoTime();
		ConfigurableApplicationContext successor = awaitSinglePrimary();
		assertThat(watcher(successor).epoch()).isGreaterThan(epoch);
		System.out.printf("[measure] broker cut: primary stepped down %d ms after the cut; a primary again %d ms "
				+ "after the network healed%n", steppedDownAfter.toMillis(),
				Duration.ofNanos(System.nanoTime() - restoredAt).toMillis());
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.contexts.stream()
				.allMatch((context) -> context.getBean(FailoverHealthIndicator.class).health().getStatus()
					.equals(Status.UP)));
	}

	private ConfigurableApplicationContext awaitSinglePrimary() {
		return Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> this.contexts.stream().filter((context) -> watcher(context).isPrimary()).toList(),
					(primaries) -> primaries.size() == 1)
			.get(0);
	}

	private static Watcher watcher(ConfigurableApplicationContext context) {
		return context.getBean(Watcher.class);
	}

	private static List<RoleChangedEvent> events(ConfigurableApplicationContext context) {
		return context.getBean(ClusterApplication.RoleEvents.class).events;
	}

}
