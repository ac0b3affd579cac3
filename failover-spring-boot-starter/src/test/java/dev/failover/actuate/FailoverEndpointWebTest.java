package dev.failover.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import dev.failover.core.Watcher;
import dev.failover.core.spi.FailoverClock;
import dev.failover.core.testing.InMemoryLog;
import dev.failover.core.spi.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/failover} and {@code /actuator/health} over HTTP, with write access.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=orders", "failover.enabled=true", "failover.instance-id=web-1",
				"failover.heartbeat-interval=200ms", "failover.heartbeat-timeout=1s",
				"management.endpoints.web.exposure.include=failover,health",
				"management.endpoint.failover.access=unrestricted", "management.endpoint.health.show-details=always",
				"server.address=127.0.0.1" })
class FailoverEndpointWebTest {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private Watcher watcher;

	@Test
	void getDescribesTheInstanceAndItsGroup() throws Exception {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(this.watcher::isPrimary);
		Map<String, Object> body = get("/actuator/failover");
		assertThat(body).containsEntry("enabled", true)
			.containsEntry("instanceId", "web-1")
			.containsEntry("group", "orders")
			.containsEntry("role", "primary")
			.containsEntry("primaryId", "web-1")
			.containsEntry("heartbeatInterval", "200ms")
			.containsEntry("heartbeatTimeout", "1s")
			.containsEntry("logReachable", true);
		assertThat(((Number) body.get("epoch")).longValue()).isPositive();
		assertThat(Instant.parse((String) body.get("lastHeartbeat"))).isBefore(Instant.now().plusSeconds(1));
		Map<?, ?> member = (Map<?, ?>) ((List<?>) body.get("members")).get(0);
		assertThat(member.get("instanceId")).isEqualTo("web-1");
		assertThat(member.get("role")).isEqualTo("primary");
		assertThat(Instant.parse((String) member.get("lastSeen"))).isNotNull();
		assertThat((String) body.get("status")).startsWith("group=orders instance=web-1 role=primary");
	}

	@Test
	void postTogglesAutomaticFailover() throws Exception {
		Map<String, Object> disabled = post("/actuator/failover", "{\"enabled\": false}", 200);
		assertThat(disabled).containsEntry("enabled", false).containsEntry("outcome", "automatic failover disabled");
		assertThat(this.watcher.isEnabled()).isFalse();
		Map<String, Object> enabled = post("/actuator/failover", "{\"enabled\": true}", 200);
		assertThat(enabled).containsEntry("enabled", true);
		assertThat(this.watcher.isEnabled()).isTrue();
	}

	@Test
	void postStepDownHandsThePrimaryRoleOver() throws Exception {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(this.watcher::isPrimary);
		long epoch = this.watcher.epoch();
		Map<String, Object> body = post("/actuator/failover", "{\"action\": \"step-down\"}", 200);
		assertThat((String) body.get("outcome")).startsWith("stepped down");
		assertThat(body).containsEntry("role", "secondary");
		// alone in its group, it takes the role back with the next epoch after a short pause
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(this.watcher::isPrimary);
		assertThat(this.watcher.epoch()).isGreaterThan(epoch);
		post("/actuator/failover", "{\"action\": \"dance\"}", 400);
		post("/actuator/failover", "{}", 400);
	}

	@Test
	void healthShowsTheFailoverComponent() throws Exception {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(this.watcher::isPrimary);
		Map<?, ?> failover = (Map<?, ?>) ((Map<?, ?>) get("/actuator/health").get("components")).get("failover");
		assertThat(failover.get("status")).isEqualTo("UP");
		Map<?, ?> details = (Map<?, ?>) failover.get("details");
		assertThat(details.get("role")).isEqualTo("primary");
		assertThat(details.get("primary")).isEqualTo("web-1");
	}

	private Map<String, Object> get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JsonParserFactory.getJsonParser().parseMap(response.body());
	}

	private Map<String, Object> post(String path, String body, int expectedStatus) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
		return JsonParserFactory.getJsonParser().parseMap(response.body());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean(destroyMethod = "close")
		InMemoryLog inMemoryLog() {
			return new InMemoryLog(FailoverClock.system());
		}

		@Bean
		Transport transport(InMemoryLog log) {
			return log.connect("web-1");
		}

	}

}
