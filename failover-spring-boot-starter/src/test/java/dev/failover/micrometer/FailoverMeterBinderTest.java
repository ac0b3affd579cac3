package dev.failover.micrometer;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.failover.core.FailoverConfig;
import dev.failover.core.Watcher;
import dev.failover.core.spi.FailoverClock;
import dev.failover.core.testing.InMemoryLog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link FailoverMeterBinder} on watchers with real threads over an in-memory log.
 */
class FailoverMeterBinderTest {

	private static final FailoverConfig CONFIG = FailoverConfig.builder()
		.enabled(true)
		.heartbeatInterval(Duration.ofMillis(100))
		.heartbeatTimeout(Duration.ofMillis(500))
		.build();

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void countsRoleChangesAndTimesPromotionsOnceInEveryRegistryItIsBoundTo() {
		InMemoryLog log = new InMemoryLog(FailoverClock.system());
		Watcher a = watcher(log, "a");
		Watcher b = watcher(log, "b");
		FailoverMeterBinder binder = new FailoverMeterBinder(a);
		List<MeterRegistry> registries = List.of(new SimpleMeterRegistry(), new SimpleMeterRegistry());
		registries.forEach(binder::bindTo);
		// binding to a registry again adds nothing: each change still counts once in it
		binder.bindTo(registries.get(0));
		try {
			a.start();
			await().atMost(WAIT).until(a::isPrimary);
			b.start();
			// a hands over to b, and b hands back to a: a promotion after a sign of life, so timed
			await().atMost(WAIT).until(() -> a.members().stream().anyMatch((member) -> member.instanceId().equals("b")));
			a.stepDown();
			await().atMost(WAIT).until(b::isPrimary);
			b.stepDown();
			await().atMost(WAIT).until(a::isPrimary);
			for (MeterRegistry registry : registries) {
				await().atMost(WAIT).untilAsserted(() -> {
					assertThat(transitions(registry, "secondary", "primary", "no_primary")).isEqualTo(1);
					assertThat(transitions(registry, "primary", "secondary", "stepped_down")).isEqualTo(1);
					assertThat(transitions(registry, "secondary", "primary", "primary_left")).isEqualTo(1);
					assertThat(registry.get("failover.promotion.duration").timer().count()).isEqualTo(1);
					assertThat(registry.get("failover.role").tag("role", "primary").gauge().value()).isEqualTo(1);
					// won claims are counted apart from sent ones, never summed over a tag
					assertThat(registry.get("failover.claims.sent").functionCounter().count()).isEqualTo(1);
					assertThat(registry.get("failover.claims.won").functionCounter().count()).isEqualTo(1);
					assertThat(registry.find("failover.claims").tagKeys("outcome").meters()).isEmpty();
					assertThat(registry.get("failover.heartbeat.age").timeGauge().value(java.util.concurrent.TimeUnit.SECONDS))
						.isBetween(0.0, 5.0);
				});
			}
		}
		finally {
			a.close();
			b.close();
			log.close();
		}
	}

	private static double transitions(MeterRegistry registry, String from, String to, String cause) {
		return registry.get("failover.role.transitions")
			.tag("from", from)
			.tag("to", to)
			.tag("cause", cause)
			.counter()
			.count();
	}

	private static Watcher watcher(InMemoryLog log, String id) {
		return Watcher.builder().group("orders").instanceId(id).transport(log.connect(id)).config(CONFIG).build();
	}

}
