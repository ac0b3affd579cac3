package dev.failover.compat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.context.ConfigurableApplicationContext;

import dev.failover.actuate.FailoverEndpoint;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.event.RoleChangedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the compatibility application on one failover group and a real broker,
 * on the Spring Boot line this build uses, along the README's path: one primary, the role
 * change reaches {@code @EventListener}s, Actuator's endpoint, health and metrics report
 * the roles, the Kafka clients stay quiet, a switchover and a runtime toggle through the
 * endpoint's write operation, a crash of the primary, the crashed instance rejoining, and a
 * graceful close of the primary that hands the role over.
 * <p>
 * Uses only what every supported Boot line has (Boot's own JSON parser, the
 * {@code local.server.port} property), so one source serves them all.
 */
class CompatApplicationIT {

	/** A handover notice is read within a heartbeat interval or two; this leaves room for a loaded machine. */
	private static final Duration HANDOVER_LIMIT = Duration.ofSeconds(5);

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

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
	void twoInstancesFollowTheReadmePathFromElectionToGracefulShutdown() throws Exception {
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
		ConfigurableApplicationContext primary = awaitSettledPrimary();
		ConfigurableApplicationContext secondary = other(primary);
		String primaryId = watcher(primary).instanceId();
		String secondaryId = watcher(secondary).instanceId();

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

		// Actuator: the endpoint bean, the HTTP endpoint, health and metrics report the roles
		assertThat(primary.getBean(FailoverEndpoint.class).failover().role()).isEqualTo("primary");
		assertThat(secondary.getBean(FailoverEndpoint.class).failover().role()).isEqualTo("secondary");
		assertThat(get(primary, "/actuator/failover")).containsEntry("role", "primary")
			.containsEntry("primaryId", primaryId);
		assertThat(get(secondary, "/actuator/failover")).containsEntry("role", "secondary")
			.containsEntry("primaryId", primaryId);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ((List<?>) get(secondary, "/actuator/failover").get("members")).size() == 2);
		assertHealth(primary, "primary", primaryId);
		assertHealth(secondary, "secondary", primaryId);
		assertThat(gauge(primary, "failover.role", "role:primary")).isEqualTo(1.0);
		assertThat(gauge(secondary, "failover.role", "role:primary")).isEqualTo(0.0);
		assertThat(gauge(secondary, "failover.epoch", null)).isEqualTo(promotion.getEpoch());

		// steady state: some 25 heartbeats without a warning of failover or its Kafka clients
		try (KafkaClientLog log = new KafkaClientLog()) {
			long received = watcher(secondary).stats().heartbeatsReceived();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> watcher(secondary).stats().heartbeatsReceived() >= received + 25);
			assertThat(log.warnings()).as("warnings and errors in steady state").isEmpty();
			assertThat(watcher(primary).isPrimary()).isTrue();
			assertThat(watcher(primary).epoch()).isEqualTo(promotion.getEpoch());
		}

		// a switchover through the endpoint's write operation: the primary hands over to the secondary
		Map<String, Object> switched = post(primary, "{\"action\": \"step-down\", \"target\": \"" + secondaryId + "\"}");
		assertThat(switched).containsEntry("outcome", "stepped down, handing over to '" + secondaryId + "'");
		await().atMost(HANDOVER_LIMIT).until(() -> watcher(secondary).isPrimary());
		RoleChangedEvent handedOver = lastPromotion(secondary);
		assertThat(handedOver.getCause()).isEqualTo(RoleChange.Cause.PRIMARY_LEFT);
		assertThat(handedOver.getEpoch()).isGreaterThan(promotion.getEpoch());
		// from here on the former secondary is primary: it will crash, and the former primary survive
		ConfigurableApplicationContext crashed = secondary;
		ConfigurableApplicationContext survivor = primary;
		await().atMost(Duration.ofSeconds(10)).until(() -> follows(survivor, crashed));

		// a runtime toggle through the endpoint: a secondary with failover disabled never claims,
		// not even once the primary has crashed and stayed silent for several heartbeat timeouts
		assertThat(post(survivor, "{\"enabled\": false}")).containsEntry("enabled", false)
			.containsEntry("outcome", "automatic failover disabled");
		watcher(crashed).closeAbruptly();
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			assertThat(watcher(survivor).isPrimary()).as("disabled: never claims").isFalse();
			return watcher(survivor).status().primaryMissingFor().compareTo(TIMEOUT.multipliedBy(3)) > 0;
		});
		assertThat(get(survivor, "/actuator/failover")).containsEntry("enabled", false)
			.containsEntry("role", "secondary");

		// enabled again, it takes over from the crashed primary
		assertThat(post(survivor, "{\"enabled\": true}")).containsEntry("enabled", true);
		await().atMost(Duration.ofSeconds(10)).until(() -> watcher(survivor).isPrimary());
		RoleChangedEvent takeover = lastPromotion(survivor);
		assertThat(takeover.getCause()).isEqualTo(RoleChange.Cause.PRIMARY_SILENT);
		assertThat(takeover.getReason()).contains("'" + watcher(crashed).instanceId() + "'");
		assertHealth(survivor, "primary", watcher(survivor).instanceId());
		assertThat(gauge(survivor, "failover.role", "role:primary")).isEqualTo(1.0);

		// the crashed instance comes back and rejoins as a secondary
		String crashedId = watcher(crashed).instanceId();
		this.instances.remove(crashed);
		crashed.close();
		ConfigurableApplicationContext rejoined = start(crashedId);
		this.instances.add(rejoined);
		await().atMost(Duration.ofSeconds(30)).until(() -> follows(rejoined, survivor));
		assertThat(watcher(survivor).isPrimary()).isTrue();
		assertThat(get(rejoined, "/actuator/failover")).containsEntry("role", "secondary");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ((List<?>) get(survivor, "/actuator/failover").get("members")).size() == 2);

		// a graceful close of the primary hands over to the other instance
		RoleEvents leaving = survivor.getBean(RoleEvents.class);
		long lastEpoch = watcher(survivor).epoch();
		long started = System.nanoTime();
		CompletableFuture<Void> closed = CompletableFuture.runAsync(survivor::close);
		await().atMost(HANDOVER_LIMIT).until(() -> watcher(rejoined).isPrimary());
		Duration handover = Duration.ofNanos(System.nanoTime() - started);
		System.out.println("compat: handover on close took " + handover.toMillis() + " ms");
		closed.get(30, TimeUnit.SECONDS);
		this.instances.remove(survivor);

		await().atMost(Duration.ofSeconds(10))
			.until(() -> lastPromotion(rejoined) != null && lastPromotion(rejoined).getEpoch() > lastEpoch);
		assertThat(lastPromotion(rejoined).getCause()).isEqualTo(RoleChange.Cause.PRIMARY_LEFT);
		assertThat(leaving.received()).anyMatch((event) -> event.isDemotion()
				&& event.getCause() == RoleChange.Cause.SHUTDOWN);
		assertThat(get(rejoined, "/actuator/failover")).containsEntry("role", "primary");
	}

	private ConfigurableApplicationContext awaitSettledPrimary() {
		return await().atMost(Duration.ofSeconds(60))
			.until(() -> this.instances.stream().filter((c) -> watcher(c).isPrimary()).toList(),
					(primaries) -> primaries.size() == 1 && isSettled(primaries.get(0)))
			.get(0);
	}

	private boolean isSettled(ConfigurableApplicationContext primary) {
		RoleChangedEvent promotion = lastPromotion(primary);
		return this.instances.stream().allMatch((c) -> follows(c, primary)) && promotion != null
				&& promotion.getEpoch() == watcher(primary).epoch();
	}

	private static boolean follows(ConfigurableApplicationContext instance, ConfigurableApplicationContext primary) {
		return watcher(primary).isPrimary()
				&& watcher(instance).primaryId().equals(Optional.of(watcher(primary).instanceId()));
	}

	private ConfigurableApplicationContext other(ConfigurableApplicationContext instance) {
		return this.instances.get(1 - this.instances.indexOf(instance));
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
				"--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(), "--failover.instance-id=" + id,
				"--failover.heartbeat-interval=200ms", "--failover.heartbeat-timeout=" + TIMEOUT.toMillis() + "ms",
				"--spring.main.banner-mode=off");
	}

	private static Watcher watcher(ConfigurableApplicationContext context) {
		return context.getBean(Watcher.class);
	}

	private static List<RoleChangedEvent> events(ConfigurableApplicationContext context) {
		return context.getBean(RoleEvents.class).received();
	}

	private static void assertHealth(ConfigurableApplicationContext context, String role, String primaryId)
			throws Exception {
		Map<?, ?> failover = (Map<?, ?>) ((Map<?, ?>) get(context, "/actuator/health").get("components"))
			.get("failover");
		assertThat(failover.get("status")).isEqualTo("UP");
		Map<?, ?> details = (Map<?, ?>) failover.get("details");
		assertThat(details.get("role")).isEqualTo(role);
		assertThat(details.get("primary")).isEqualTo(primaryId);
	}

	private static double gauge(ConfigurableApplicationContext context, String name, String tag) throws Exception {
		Map<String, Object> meter = get(context, "/actuator/metrics/" + name + ((tag != null) ? "?tag=" + tag : ""));
		Map<?, ?> value = (Map<?, ?>) ((List<?>) meter.get("measurements")).get(0);
		return ((Number) value.get("value")).doubleValue();
	}

	private static Map<String, Object> get(ConfigurableApplicationContext context, String path) throws Exception {
		return send(context, HttpRequest.newBuilder(uri(context, path)).build());
	}

	private static Map<String, Object> post(ConfigurableApplicationContext context, String json) throws Exception {
		return send(context, HttpRequest.newBuilder(uri(context, "/actuator/failover"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	private static Map<String, Object> send(ConfigurableApplicationContext context, HttpRequest request)
			throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("%s %s: %s", request.method(), request.uri(), response.body())
			.isEqualTo(200);
		return JsonParserFactory.getJsonParser().parseMap(response.body());
	}

	private static URI uri(ConfigurableApplicationContext context, String path) {
		return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path);
	}

}
