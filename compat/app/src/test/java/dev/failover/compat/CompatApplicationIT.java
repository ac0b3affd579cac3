package dev.failover.compat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.failover.actuate.FailoverEndpoint;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.event.RoleChangedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the compatibility application on one failover group and a real broker,
 * on the Spring Boot line this build uses: one primary, the role change reaches
 * {@code @EventListener}s and Actuator, the Kafka clients stay quiet, and a graceful close
 * of the primary hands the role over.
 */
class CompatApplicationIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** A handover notice is read within a heartbeat interval or two; this leaves room for a loaded machine. */
	private static final Duration HANDOVER_LIMIT = Duration.ofSeconds(5);

	private static TestKitBroker broker;

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	@BeforeAll
	static void startBroker() throws Exception {
		broker = TestKitBroker.start();
	}

	@AfterAll
	static void stopBroker() throws Exception {
		if (broker != null) {
			broker.close();
		}
	}

	@AfterEach
	void stop() {
		this.instances.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void oneInstanceIsPrimaryTellsTheApplicationAndHandsOverWhenItCloses() throws Exception {
		String line = System.getProperty("compat.boot-line", "");
		System.out.println("compat: Spring Boot " + SpringBootVersion.getVersion() + ", kafka-clients "
				+ AppInfoParser.getVersion());
		assertThat(SpringBootVersion.getVersion()).as("the Boot line this build is for").startsWith(line + ".");

		this.instances.add(start("compat-a"));
		this.instances.add(start("compat-b"));
		// an empty log: the first claim waits a whole heartbeat timeout on purpose; on a loaded
		// machine the first primary may lose its lease while the second instance starts and
		// claim again, so wait for a settled group: one primary, known to both, whose latest
		// promotion has reached the @EventListener
		ConfigurableApplicationContext primary = await().atMost(Duration.ofSeconds(60))
			.until(() -> this.instances.stream().filter((c) -> watcher(c).isPrimary()).toList(),
					(primaries) -> primaries.size() == 1 && isSettled(primaries.get(0)))
			.get(0);
		ConfigurableApplicationContext secondary = this.instances.get(1 - this.instances.indexOf(primary));
		String primaryId = watcher(primary).instanceId();
		assertThat(watcher(secondary).primaryId()).contains(primaryId);

		// the promotion reached the application's @EventListener
		RoleChangedEvent promotion = lastPromotion(primary);
		assertThat(promotion.getInstanceId()).isEqualTo(primaryId);
		assertThat(promotion.getGroup()).isEqualTo("failover-compat");
		assertThat(promotion.getEpoch()).isEqualTo(watcher(primary).epoch());
		List<RoleChangedEvent> ofSecondary = events(secondary);
		assertThat(ofSecondary.isEmpty() || ofSecondary.get(ofSecondary.size() - 1).isDemotion())
			.as("the secondary's latest event, if any, is a demotion: %s", ofSecondary)
			.isTrue();

		// @PrimaryOnly runs on the primary only
		assertThat(primary.getBean(PrimaryWork.class).run()).isTrue();
		assertThat(secondary.getBean(PrimaryWork.class).run()).isFalse();

		// Actuator: the bean and the HTTP endpoint report the roles
		assertThat(primary.getBean(FailoverEndpoint.class).failover().role()).isEqualTo("primary");
		assertThat(secondary.getBean(FailoverEndpoint.class).failover().role()).isEqualTo("secondary");
		JsonNode ofPrimary = get(primary, "/actuator/failover");
		assertThat(ofPrimary.get("role").asString()).isEqualTo("primary");
		assertThat(ofPrimary.get("primaryId").asString()).isEqualTo(primaryId);
		JsonNode ofSecondaryEndpoint = get(secondary, "/actuator/failover");
		assertThat(ofSecondaryEndpoint.get("role").asString()).isEqualTo("secondary");
		assertThat(ofSecondaryEndpoint.get("primaryId").asString()).isEqualTo(primaryId);
		await().atMost(Duration.ofSeconds(10)).until(() -> get(secondary, "/actuator/failover").get("members").size() == 2);

		// steady state: some 25 heartbeats without a warning of failover or its Kafka clients
		try (KafkaClientLog log = new KafkaClientLog()) {
			long received = watcher(secondary).stats().heartbeatsReceived();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> watcher(secondary).stats().heartbeatsReceived() >= received + 25);
			assertThat(log.warnings()).as("warnings and errors in steady state").isEmpty();
			assertThat(watcher(primary).isPrimary()).isTrue();
			assertThat(watcher(primary).epoch()).isEqualTo(promotion.getEpoch());
		}

		// a graceful close of the primary hands over to the other instance
		RoleEvents leaving = primary.getBean(RoleEvents.class);
		long started = System.nanoTime();
		CompletableFuture<Void> closed = CompletableFuture.runAsync(primary::close);
		await().atMost(HANDOVER_LIMIT).until(() -> watcher(secondary).isPrimary());
		Duration handover = Duration.ofNanos(System.nanoTime() - started);
		System.out.println("compat: handover on close took " + handover.toMillis() + " ms");
		closed.get(30, TimeUnit.SECONDS);
		this.instances.remove(primary);

		await().atMost(Duration.ofSeconds(10))
			.until(() -> lastPromotion(secondary) != null && lastPromotion(secondary).getEpoch() > promotion.getEpoch());
		RoleChangedEvent takeover = lastPromotion(secondary);
		assertThat(takeover.getCause()).isEqualTo(RoleChange.Cause.PRIMARY_LEFT);
		assertThat(leaving.received()).anyMatch((event) -> event.isDemotion()
				&& event.getCause() == RoleChange.Cause.SHUTDOWN);
		assertThat(get(secondary, "/actuator/failover").get("role").asString()).isEqualTo("primary");
	}

	private boolean isSettled(ConfigurableApplicationContext primary) {
		Watcher watcher = watcher(primary);
		RoleChangedEvent promotion = lastPromotion(primary);
		return this.instances.stream().allMatch((c) -> watcher(c).primaryId().equals(Optional.of(watcher.instanceId())))
				&& promotion != null && promotion.getEpoch() == watcher.epoch();
	}

	private static RoleChangedEvent lastPromotion(ConfigurableApplicationContext context) {
		List<RoleChangedEvent> events = events(context);
		for (int i = events.size() - 1; i >= 0; i--) {
			if (events.get(i).isPromotion()) {
				return events.get(i);
			}
		}
		return null;
	}

	private static ConfigurableApplicationContext start(String id) {
		return new SpringApplicationBuilder(CompatApplication.class).run("--server.port=0",
				"--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
				"--failover.instance-id=" + id, "--failover.heartbeat-interval=200ms",
				"--failover.heartbeat-timeout=1s", "--spring.main.banner-mode=off");
	}

	private static Watcher watcher(ConfigurableApplicationContext context) {
		return context.getBean(Watcher.class);
	}

	private static List<RoleChangedEvent> events(ConfigurableApplicationContext context) {
		return context.getBean(RoleEvents.class).received();
	}

	private static JsonNode get(ConfigurableApplicationContext context, String path) throws Exception {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

}
