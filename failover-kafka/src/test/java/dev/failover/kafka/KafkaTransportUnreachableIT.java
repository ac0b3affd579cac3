package dev.failover.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@link KafkaTransport} when no broker listens at the bootstrap address.
 */
class KafkaTransportUnreachableIT {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private String bootstrapServers;

	private KafkaTransport transport;

	@BeforeEach
	void createTransport() throws IOException {
		this.bootstrapServers = "127.0.0.1:" + closedPort();
		this.transport = new KafkaTransport(KafkaTransportOptions.builder()
			.topic("nowhere")
			.bootstrapServers(this.bootstrapServers)
			.producerConfig(KafkaClientOverrides.producer(INTERVAL, TIMEOUT))
			.consumerConfig(KafkaClientOverrides.consumer(INTERVAL, TIMEOUT))
			.adminTimeout(Duration.ofSeconds(1))
			.build());
	}

	@AfterEach
	void closeTransport() {
		this.transport.close();
	}

	@Test
	void ensureTopicFailsWithinTheTimeoutNamingTheTopicAndTheServers() {
		long started = System.nanoTime();
		assertThatExceptionOfType(KafkaTransportException.class).isThrownBy(this.transport::ensureTopic)
			.withMessageContaining("'nowhere'")
			.withMessageContaining(this.bootstrapServers)
			.satisfies((ex) -> {
				assertThat(ex.getTopic()).isEqualTo("nowhere");
				assertThat(ex.getBootstrapServers()).isEqualTo(this.bootstrapServers);
			});
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
	}

	@Test
	void aSubscriptionReportsErrorsButNeverProgressAndClosesPromptly() {
		RecordingListener listener = new RecordingListener(true);
		Subscription subscription = this.transport.subscribe("orders", 0, Duration.ofMillis(40), listener);
		await().atMost(DEADLINE).until(() -> listener.errors.size() >= 2);
		assertThat(listener.progress).isEmpty();

		long started = System.nanoTime();
		subscription.close();
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3_000);
		assertThat(this.transport.threads()).isEmpty();
	}

	@Test
	void publishReturnsAtOnceAndItsFutureFails() {
		long started = System.nanoTime();
		CompletableFuture<Long> future = this.transport.publish("orders", Transport.groupKey("orders"),
				"heartbeat".getBytes(StandardCharsets.UTF_8));
		long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

		// the send waits for metadata for max.block.ms (200 ms here) before it fails, but on
		// the transport's thread: the caller is back before the outcome is known
		assertThat(future).isNotDone();
		assertThat(tookMillis).as("publish took %d ms", tookMillis).isLessThan(1_000);
		assertThat(future).failsWithin(DEADLINE);
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
			return socket.getLocalPort();
		}
	}

}
