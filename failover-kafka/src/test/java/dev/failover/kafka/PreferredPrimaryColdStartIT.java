package dev.failover.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.failover.core.FailoverConfig;
import dev.failover.core.Role;
import dev.failover.core.Watcher;
import dev.failover.core.spi.FailoverClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The configured primary wins a cold start: an instance with {@code role=primary} and one
 * with {@code role=secondary}, started together (in either order, up to a few hundred
 * milliseconds apart) on a new group, on a real broker, many times over; the secondary leaves
 * preferred primaries a heartbeat interval to claim an empty group first.
 */
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=false")
class PreferredPrimaryColdStartIT {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final Duration TIMEOUT = Duration.ofMillis(600);

	private static final int COLD_STARTS = 12;

	private final List<KafkaTransport> transports = new ArrayList<>();

	private final List<Watcher> watchers = new ArrayList<>();

	@AfterEach
	void closeAll() {
		this.watchers.forEach(Watcher::closeAbruptly);
		this.transports.forEach(KafkaTransport::close);
	}

	@Test
	void theConfiguredPrimaryWinsEveryColdStart() throws Exception {
		Random random = new Random(17);
		List<String> winners = new ArrayList<>();
		for (int run = 0; run < COLD_STARTS; run++) {
			String group = "cold-" + run;
			Watcher primary = watcher(group, "a", Role.PRIMARY);
			Watcher secondary = watcher(group, "b", Role.SECONDARY);
			// started together, in either order, up to 150 ms apart: the secondary may be first
			boolean secondaryFirst = random.nextBoolean();
			long gap = random.nextInt(150);
			(secondaryFirst ? secondary : primary).start();
			Thread.sleep(gap);
			(secondaryFirst ? primary : secondary).start();
			await().atMost(Duration.ofSeconds(30)).until(() -> primary.isPrimary() || secondary.isPrimary());
			// both have seen the same election by then
			await().atMost(Duration.ofSeconds(10)).until(() -> secondary.epoch() == primary.epoch());
			winners.add(primary.isPrimary() ? "a" : "b (secondary started first: " + secondaryFirst + ", gap " + gap
					+ " ms)");
			assertThat(primary.epoch()).isEqualTo(1);
			primary.closeAbruptly();
			secondary.closeAbruptly();
		}
		assertThat(winners).as("winner of each cold start").containsOnly("a");
	}

	private Watcher watcher(String group, String id, Role role) {
		KafkaTransport transport = new KafkaTransport(KafkaTransportOptions.builder()
			.topic("failover-cold-starts")
			.bootstrapServers(EmbeddedKafkaCondition.getBroker().getBrokersAsString())
			.producerConfig(KafkaClientOverrides.producer(INTERVAL, TIMEOUT))
			.consumerConfig(KafkaClientOverrides.consumer(INTERVAL, TIMEOUT))
			.build());
		this.transports.add(transport);
		transport.ensureTopic();
		Watcher watcher = Watcher.builder()
			.group(group)
			.instanceId(id)
			.transport(transport)
			.config(FailoverConfig.builder()
				.enabled(true)
				.role(role)
				.heartbeatInterval(INTERVAL)
				.heartbeatTimeout(TIMEOUT)
				.build())
			.clock(FailoverClock.system())
			.build();
		this.watchers.add(watcher);
		return watcher;
	}

}
