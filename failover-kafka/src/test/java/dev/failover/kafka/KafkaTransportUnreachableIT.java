package dev.failover.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.failover.core.FailoverConfig;
import dev.failover.core.Watcher;
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

	/**
	 * The starter's defaults (heartbeat 5 s / 15 s, the topic set up on first read, a 30 s
	 * admin timeout) with a watcher's traffic, while nothing listens: the Kafka clients may
	 * say that they cannot connect, at a bounded rate, but the admin client's rebootstrap
	 * loop of kafka-clients 4 (thousands of INFO lines a second after a minute, growing by
	 * about a hundred a second every second) must not run, and closing must not wait for
	 * the calls that cannot be answered.
	 */
	@Test
	void aTransportThatCannotReachKafkaLogsAtABoundedRateAndClosesPromptly() throws Exception {
		Duration interval = Duration.ofSeconds(5);
		Duration timeout = Duration.ofSeconds(15);
		KafkaTransport defaults = new KafkaTransport(KafkaTransportOptions.builder()
			.topic("nowhere")
			.bootstrapServers(this.bootstrapServers)
			.producerConfig(KafkaClientOverrides.producer(interval, timeout))
			.consumerConfig(KafkaClientOverrides.consumer(interval, timeout))
			.adminTimeout(Duration.ofSeconds(30))
			.ensureTopicOnFirstRead(true)
			.build());
		ListAppender<ILoggingEvent> kafkaLines = new ListAppender<>();
		kafkaLines.start();
		Logger kafka = (Logger) LoggerFactory.getLogger("org.apache.kafka");
		Level level = kafka.getLevel();
		kafka.setLevel(Level.INFO);
		kafka.addAppender(kafkaLines);
		try {
			RecordingListener listener = new RecordingListener(true);
			defaults.subscribe("orders", 0, interval, listener);
			long started = System.nanoTime();
			while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(12)) {
				defaults.publish("orders", Transport.memberKey("orders", "a"), "standby".getBytes(StandardCharsets.UTF_8));
				Thread.sleep(500);
			}
			long windowStart = System.currentTimeMillis() - 4_000;
			long lastSeconds = kafkaLines.list.stream().filter((event) -> event.getTimeStamp() >= windowStart).count();
			assertThat(lastSeconds / 4.0).as("Kafka client lines a second in the last 4 s of 12 s unreachable")
				.isLessThan(20);
			assertThat(listener.progress).isEmpty();

			long closing = System.nanoTime();
			defaults.close();
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing)).as("close took").isLessThan(3_000);
			assertThat(defaults.threads()).allSatisfy((thread) -> assertThat(thread.isAlive()).isFalse());
		}
		finally {
			kafka.detachAppender(kafkaLines);
			kafka.setLevel(level);
			defaults.close();
		}
	}

	@Test
	void aWatcherThatNeverReachedKafkaLeavesAtOnce() {
		Watcher watcher = Watcher.builder()
			.group("orders")
			.instanceId("a")
			.transport(this.transport)
			.config(FailoverConfig.builder()
				.enabled(true)
				.heartbeatInterval(INTERVAL)
				.heartbeatTimeout(TIMEOUT)
				.shutdownTimeout(Duration.ofSeconds(5))
				.build())
			.build();
		watcher.start();
		await().atMost(DEADLINE).until(() -> !watcher.status().logReachable() && watcher.status().connected());
		long started = System.nanoTime();
		watcher.close();
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("close took").isLessThan(2_000);
		assertThat(watcher.state()).isEqualTo(Watcher.State.CLOSED);
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
			return socket.getLocalPort();
		}
	}

}
