package dev.failover.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@link KafkaTransport} when its broker goes away: this class's broker is
 * stopped by its test.
 */
class KafkaBrokerLossIT {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private static EmbeddedKafkaKraftBroker broker;

	private static boolean stopped;

	@BeforeAll
	static void startBroker() {
		broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.afterPropertiesSet();
	}

	@AfterAll
	static void stopBroker() {
		if (!stopped) {
			broker.destroy();
		}
	}

	@Test
	void progressStopsAndWritesFailWhileTheBrokerIsGone() {
		try (KafkaTransport transport = new KafkaTransport(KafkaTransportOptions.builder()
			.topic("lost")
			.bootstrapServers(broker.getBrokersAsString())
			.producerConfig(KafkaClientOverrides.producer(INTERVAL, TIMEOUT))
			.consumerConfig(KafkaClientOverrides.consumer(INTERVAL, TIMEOUT))
			.closeTimeout(Duration.ofSeconds(1))
			.build())) {
			transport.ensureTopic();
			RecordingListener listener = new RecordingListener(true);
			Subscription subscription = transport.subscribe("orders", 0, Duration.ofMillis(40), listener);
			transport.publish("orders", Transport.groupKey("orders"), bytes("before")).join();
			await().atMost(DEADLINE).until(() -> listener.lastProgress() == 1);

			broker.destroy();
			stopped = true;
			await().atMost(DEADLINE).until(() -> !listener.errors.isEmpty());
			// an answer received just before the broker went away may still be reported;
			// after the next failed confirmation, none can be
			int errors = listener.errors.size();
			await().atMost(DEADLINE).until(() -> listener.errors.size() > errors);
			int reports = listener.progress.size();
			await().atMost(DEADLINE).until(() -> listener.errors.size() > errors + 1);
			assertThat(listener.progress).hasSize(reports);
			assertThat(listener.violations).isEmpty();

			long started = System.nanoTime();
			CompletableFuture<Long> write = transport.publish("orders", Transport.groupKey("orders"), bytes("during"));
			assertThat(write).isNotDone();
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1_000);
			assertThat(write).failsWithin(DEADLINE);

			started = System.nanoTime();
			subscription.close();
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3_000);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
