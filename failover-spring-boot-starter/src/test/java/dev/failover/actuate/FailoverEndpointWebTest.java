package dev.failover.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
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

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private Watcher watcher;

	@Test
	void getDescribesTheInstanceAndItsGroup() throws Exception {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(this.watcher::isPrimary);
		JsonNode body = get("/actuator/failover");
		assertThat(body.get("enabled").asBoolean()).isTrue();
		assertThat(body.get("instanceId").asString()).isEqualTo("web-1");
		assertThat(body.get("group").asString()).isEqualTo("orders");
		assertThat(body.get("role").asString()).isEqualTo("primary");
		assertThat(body.get("epoch").asLong()).isPositive();
		assertThat(body.get("primaryId").asString()).isEqualTo("web-1");
		assertThat(Instant.parse(body.get("lastHeartbeat").asString())).isBefore(Instant.now().plusSeconds(1));
		assertThat(body.get("heartbeatInterval").asString()).isEqualTo("200ms");
		assertThat(body.get("heartbeatTimeout").asString()).isEqualTo("1s");
		assertThat(body.get("logReachable").asBoolean()).isTrue();
		JsonNode member = body.get("members").get(0);
		assertThat(member.get("instanceId").asString()).isEqualTo("web-1");
		assertThat(member.get("role").asString()).isEqualTo("primary");
		assertThat(Instant.parse(member.get("lastSeen").asString())).isNotNull();
		assertThat(body.get("status").asString()).startsWith("group=orders instance=web-1 role=primary");
	}

	@Test
	void postTogglesAutomaticFailover() throws Exception {
		JsonNode disabled = post("/actuator/failover", "{\"enabled\": false}", 200);
		assertThat(disabled.get("enabled").asBoolean()).isFalse();
		assertThat(disabled.get("outcome").asString()).isEqualTo("automatic failover disabled");
		assertThat(this.watcher.isEnabled()).isFalse();
		JsonNode enabled = post("/actuator/failover", "{\"enabled\": true}", 200);
		assertThat(enabled.get("enabled").asBoolean()).isTrue();
		assertThat(this.watcher.isEnabled()).isTrue();
	}

	@Test
	void postStepDownHandsThePrimaryRoleOver() throws Exception {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(this.watcher::isPrimary);
		long epoch = this.watcher.epoch();
		JsonNode body = post("/actuator/failover", "{\"action\": \"step-down\"}", 200);
		assertThat(body.get("outcome").asString()).startsWith("stepped down");
		assertThat(body.get("role").asString()).isEqualTo("secondary");
		// alone in its group, it takes the role back with the next epoch after a short pause
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(this.watcher::isPrimary);
		assertThat(this.watcher.epoch()).isGreaterThan(epoch);
		post("/actuator/failover", "{\"action\": \"dance\"}", 400);
		post("/actuator/failover", "{}", 400);
	}

	@Test
	void healthShowsTheFailoverComponent() throws Exception {
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(this.watcher::isPrimary);
		JsonNode failover = get("/actuator/health").get("components").get("failover");
		assertThat(failover.get("status").asString()).isEqualTo("UP");
		assertThat(failover.get("details").get("role").asString()).isEqualTo("primary");
		assertThat(failover.get("details").get("primary").asString()).isEqualTo("web-1");
	}

	private JsonNode get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private JsonNode post(String path, String body, int expectedStatus) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
		return json.readTree(response.body());
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
