package dev.failover.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * By default the endpoint is read-only: role changes over HTTP must be allowed explicitly.
 */
@SpringBootTest(classes = FailoverEndpointWebTest.TestApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=orders", "failover.instance-id=web-ro",
				"management.endpoints.web.exposure.include=failover", "server.address=127.0.0.1" })
class FailoverEndpointReadOnlyTest {

	@LocalServerPort
	private int port;

	@Test
	void writesAreRefusedUnlessAllowed() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		URI uri = URI.create("http://127.0.0.1:" + this.port + "/actuator/failover");
		HttpResponse<String> read = http.send(HttpRequest.newBuilder(uri).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.body()).contains("\"instanceId\":\"web-ro\"", "\"role\":\"primary\"", "\"enabled\":false");
		HttpResponse<String> write = http.send(HttpRequest.newBuilder(uri)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"enabled\": true}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(write.statusCode()).isIn(404, 405);
	}

}
