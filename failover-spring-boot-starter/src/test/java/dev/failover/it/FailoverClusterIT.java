package dev.failover.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import dev.failover.actuate.FailoverEndpoint;
import dev.failover.actuate.FailoverEndpoint.FailoverDescriptor;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.event.RoleChangedEvent;
import dev.failover.kafka.KafkaTransport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several applications using the starter, in one JVM, against a real Kafka broker (KRaft,
 * in-process): the failover a user relies on, seen through events, endpoint and metrics.
 * Timings are printed, not asserted.
 * <p>
 * The broker is created here rather than by {@code @EmbeddedKafka}, which starts a KRaft
 * broker on spring-kafka-test 4 but a ZooKeeper one on 3.3 (Spring Boot 3.5's), where these
 * tests run too.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailoverClusterIT {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	/** The level and the logger as Spring Boot's console format writes them. */
	private static final Pattern WARNING = Pattern.compile("^\\S+\\s+(WARN|ERROR) .*?\\]\\s+(\\S+)\\s+:\\s");

	/** Failover's loggers and the Kafka clients', as Spring Boot abbreviates them. */
	private static final Pattern APPLICATION_LOGGER = Pattern.compile("^(dev|d)\\.(failover|f)\\.|(^|\\.)clients\\.");

	private static final EmbeddedKafkaBroker broker = new EmbeddedKafkaKraftBroker(1, 1);

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final String topic = "failover-it-" + UUID.randomUUID();

	@BeforeAll
	static void startBroker() {
		broker.afterPropertiesSet();
	}

	@AfterAll
	static void stopBroker() {
		broker.destroy();
	}

	@AfterEach
	void closeContexts() {
		for (ConfigurableApplicationContext context : this.contexts) {
			context.close();
		}
	}

	@Test
	void crashOfThePrimaryPromotesOneSecondaryAndEveryViewAgrees() {
		startGroup("a", "b", "c");
		ConfigurableApplicationContext primary = awaitSinglePrimary(this.contexts);
		long epochBefore = watcher(primary).epoch();

		long crashedAt = System.nanoTime();
		watcher(primary).closeAbruptly();
		List<ConfigurableApplicationContext> survivors = new ArrayList<>(this.contexts);
		survivors.remove(primary);
		ConfigurableApplicationContext successor = awaitSinglePrimary(survivors);
		Duration failover = Duration.ofNanos(System.nanoTime() - crashedAt);

		Awaitility.await().atMost(DEADLINE).until(() -> !events(successor).promotions().isEmpty());
		RoleChangedEvent promotion = events(successor).promotions().get(0);
		assertThat(promotion.getCause()).isEqualTo(RoleChange.Cause.PRIMARY_SILENT);
		assertThat(promotion.getEpoch()).isGreaterThan(epochBefore);
		assertThat(promotion.getInstanceId()).isEqualTo(watcher(successor).instanceId());
		assertThat(promotion.getReason()).contains("'" + watcher(primary).instanceId() + "'");

		FailoverDescriptor descriptor = endpoint(successor).failover();
		assertThat(descriptor.role()).isEqualTo("primary");
		assertThat(descriptor.epoch()).isEqualTo(promotion.getEpoch());
		assertThat(descriptor.primaryId()).isEqualTo(promotion.getInstanceId());
		MeterRegistry meters = successor.getBean(MeterRegistry.class);
		assertThat(meters.get("failover.role").tag("role", "primary").gauge().value()).isEqualTo(1.0);
		assertThat(meters.get("failover.epoch").gauge().value()).isEqualTo(promotion.getEpoch());
		assertThat(meters.get("failover.role.transitions")
			.tag("to", "primary")
			.tag("cause", "primary_silent")
			.counter()
			.count()).isEqualTo(1.0);
		assertThat(meters.get("failover.promotion.duration").timer().count()).isEqualTo(1);
		for (ConfigurableApplicationContext survivor : survivors) {
			Awaitility.await()
				.atMost(DEADLINE)
				.until(() -> promotion.getInstanceId().equals(endpoint(survivor).failover().primaryId()));
			if (survivor != successor) {
				assertThat(endpoint(survivor).failover().role()).isEqualTo("secondary");
				assertThat(events(survivor).promotions()).isEmpty();
			}
		}
		System.out.printf("[measure] crash failover (interval %d ms, timeout %d ms): %d ms from kill to promotion; "
				+ "promotion event says %d ms after the last heartbeat%n", INTERVAL.toMillis(), TIMEOUT.toMillis(),
				failover.toMillis(), promotion.getSinceLastHeartbeat().toMillis());
	}

	@Test
	void gracefulShutdownHandsOverWithinMilliseconds() {
		startGroup("a", "b", "c");
		ConfigurableApplicationContext primary = awaitSinglePrimary(this.contexts);
		String leaving = watcher(primary).instanceId();
		ClusterApplication.RoleEvents leavingEvents = events(primary);
		// close() returns once the whole context is down, after the successor took over: the
		// handover is timed to the promotion as the successor dated it
		Instant closing = Instant.now();
		primary.close();
		List<ConfigurableApplicationContext> survivors = new ArrayList<>(this.contexts);
		survivors.remove(primary);
		ConfigurableApplicationContext successor = awaitSinglePrimary(survivors);
		Awaitility.await().atMost(DEADLINE).until(() -> !events(successor).promotions().isEmpty());
		RoleChangedEvent promotion = events(successor).promotions().get(0);
		Duration handover = Duration.between(closing, promotion.getChangedAt());
		assertThat(promotion.getCause()).isEqualTo(RoleChange.Cause.PRIMARY_LEFT);
		assertThat(promotion.getReason()).contains("'" + leaving + "' handed over to this instance");
		assertThat(leavingEvents.events).extracting(RoleChangedEvent::getCause).contains(RoleChange.Cause.SHUTDOWN);
		System.out.printf("[measure] graceful handover: %d ms from context close to the successor being primary; "
				+ "%d ms from the shutdown notice to its promotion%n", handover.toMillis(),
				promotion.getSinceLastHeartbeat().toMillis());
	}

	@Test
	void automaticFailoverCanBeToggledAtRuntime() {
		startGroup("a", "b");
		ConfigurableApplicationContext primary = awaitSinglePrimary(this.contexts);
		ConfigurableApplicationContext secondary = (this.contexts.get(0) == primary) ? this.contexts.get(1)
				: this.contexts.get(0);
		FailoverDescriptor disabled = endpoint(secondary).update(false, null, null);
		assertThat(disabled.enabled()).isFalse();
		watcher(primary).closeAbruptly();
		long deadline = System.nanoTime() + TIMEOUT.multipliedBy(4).toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(watcher(secondary).isPrimary()).as("disabled: never claims").isFalse();
			Thread.onSpinWait();
		}
		assertThat(endpoint(secondary).failover().primaryId()).isEqualTo(watcher(primary).instanceId());
		endpoint(secondary).update(true, null, null);
		Awaitility.await().atMost(DEADLINE).until(() -> watcher(secondary).isPrimary());
	}

	@Test
	void garbageOnTheTopicIsIgnoredAndCounted() {
		startGroup("a", "b");
		ConfigurableApplicationContext primary = awaitSinglePrimary(this.contexts);
		long epoch = watcher(primary).epoch();
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
		Random random = new Random(3);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
			for (int i = 0; i < 20; i++) {
				byte[] junk = new byte[1 + random.nextInt(200)];
				random.nextBytes(junk);
				producer.send(new ProducerRecord<>(this.topic, 0, "orders", junk));
				producer.send(new ProducerRecord<>(this.topic, 0, "orders",
						"{\"v\":1,\"type\":\"HEARTBEAT\"".getBytes(StandardCharsets.UTF_8)));
				producer.send(new ProducerRecord<>(this.topic, 0, "orders/x",
						"{\"v\":9,\"type\":\"CLAIM\",\"epoch\":999}".getBytes(StandardCharsets.UTF_8)));
			}
			producer.send(new ProducerRecord<>(this.topic, 0, "orders", new byte[200 * 1024]));
			producer.flush();
		}
		for (ConfigurableApplicationContext context : this.contexts) {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Awaitility.await()
				.atMost(DEADLINE)
				.until(() -> meters.get("failover.records.rejected").tag("reason", "unsupported-version").functionCounter()
					.count() == 20);
			assertThat(meters.get("failover.records.rejected").tag("reason", "malformed").functionCounter().count())
				.isEqualTo(40);
			assertThat(meters.get("failover.records.rejected").tag("reason", "oversized").functionCounter().count())
				.isEqualTo(1);
		}
		assertThat(watcher(primary).isPrimary()).isTrue();
		assertThat(watcher(primary).epoch()).isEqualTo(epoch);
		assertThat(this.contexts).allSatisfy((context) -> assertThat(events(context).events.stream()
			.filter((event) -> event.getChangedAt().isAfter(events(primary).promotions().get(0).getChangedAt())))
			.isEmpty());
	}

	@Test
	void aHealthyGroupLogsNoWarningAtDefaultLevels(CapturedOutput output) {
		// what a user sees: the levels Spring Boot sets by default, for failover and the Kafka clients
		startGroup(List.of("a", "b"), "logging.level.dev.failover=INFO", "logging.level.org.apache.kafka=INFO");
		ConfigurableApplicationContext primary = awaitSinglePrimary(this.contexts);
		Awaitility.await()
			.atMost(DEADLINE)
			.until(() -> this.contexts.stream()
				.allMatch((context) -> watcher(context).primaryId().equals(watcher(primary).primaryId())));
		int settled = output.getOut().length();
		// a steady window: 100 heartbeats of the primary, and as many progress rounds of each reader
		long heartbeats = watcher(primary).stats().heartbeatsSent();
		Awaitility.await()
			.atMost(Duration.ofMinutes(2))
			.until(() -> watcher(primary).stats().heartbeatsSent() >= heartbeats + 100);

		assertThat(warnings(output.getOut().substring(settled))).as("WARN and ERROR lines in steady state").isEmpty();
		// from start-up on, only the documented warning about a topic weaker than production-safe
		// (one replica here), which also shows that the check recognises failover's warnings
		assertThat(warnings(output.getOut())).as("WARN and ERROR lines since start-up")
			.isNotEmpty()
			.allMatch((line) -> line.contains("weaker than production-safe"));
		assertThat(this.contexts).allSatisfy((context) -> assertThat(watcher(context).stats().publishFailures()).isZero());
	}

	/**
	 * The lines of Spring Boot's console format logged at WARN or ERROR by failover or by the
	 * Kafka clients (the in-process broker's own loggers are the test's, not the application's).
	 */
	private static List<String> warnings(String output) {
		return output.lines().filter((line) -> {
			Matcher matcher = WARNING.matcher(line);
			return matcher.find() && APPLICATION_LOGGER.matcher(matcher.group(2)).find();
		}).toList();
	}

	private void startGroup(String... ids) {
		startGroup(List.of(ids), "logging.level.dev.failover=WARN");
	}

	private void startGroup(List<String> ids, String... logging) {
		for (String id : ids) {
			this.contexts.add(new SpringApplicationBuilder(ClusterApplication.class)
				.web(WebApplicationType.NONE)
				.properties("spring.application.name=orders", "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
						"failover.enabled=true", "failover.instance-id=" + id,
						"failover.heartbeat-interval=" + INTERVAL.toMillis() + "ms",
						"failover.heartbeat-timeout=" + TIMEOUT.toMillis() + "ms", "failover.kafka.topic=" + this.topic,
						"management.endpoints.web.exposure.include=failover",
						"management.endpoint.failover.access=unrestricted", "spring.main.banner-mode=off")
				.properties(logging)
				.run());
		}
		assertThat(this.contexts.get(0).getBean(KafkaTransport.class)).isNotNull();
	}

	private static ConfigurableApplicationContext awaitSinglePrimary(List<ConfigurableApplicationContext> contexts) {
		return Awaitility.await()
			.atMost(DEADLINE)
			.pollInterval(Duration.ofMillis(5))
			.until(() -> {
				List<ConfigurableApplicationContext> primaries = contexts.stream()
					.filter((context) -> watcher(context).isPrimary())
					.toList();
				return (primaries.size() == 1) ? primaries.get(0) : null;
			}, (found) -> found != null);
	}

	private static Watcher watcher(ConfigurableApplicationContext context) {
		return context.getBean(Watcher.class);
	}

	private static FailoverEndpoint endpoint(ConfigurableApplicationContext context) {
		return context.getBean(FailoverEndpoint.class);
	}

	private static ClusterApplication.RoleEvents events(ConfigurableApplicationContext context) {
		return context.getBean(ClusterApplication.RoleEvents.class);
	}

}
