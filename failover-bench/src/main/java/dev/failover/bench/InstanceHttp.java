package dev.failover.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.failover.core.RejectReason;
import dev.failover.cluster.SampleInstance;

/**
 * A small HTTP client for what the suite and the benchmark read from a sample instance
 * beyond its failover endpoint: Actuator metrics and the sample's {@code GET /status}.
 * <p>
 * Every request has a timeout, so a paused instance never hangs a caller.
 */
public final class InstanceHttp {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	// HTTP/1.1: the default would try an h2c upgrade on every new connection, which Tomcat does not offer
	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(1))
		.build();

	private InstanceHttp() {
	}

	/**
	 * Sends {@code GET} and parses the JSON body of a 200 answer.
	 * @param instance the instance
	 * @param path the path and query, such as {@code /status}
	 * @return the parsed body
	 * @throws UncheckedIOException if the instance does not answer in time
	 * @throws IllegalStateException if it answers with another status
	 */
	public static JsonNode get(SampleInstance instance, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + path)).timeout(TIMEOUT).GET().build();
		HttpResponse<String> response;
		try {
			response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("GET " + request.uri() + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during GET " + request.uri(), ex);
		}
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET " + request.uri() + " answered " + response.statusCode() + ": "
					+ response.body());
		}
		return MAPPER.readTree(response.body());
	}

	/**
	 * Returns how many records an instance has rejected for a reason, from
	 * {@code /actuator/metrics/failover.records.rejected?tag=reason:<reason>}.
	 * @param instance the instance
	 * @param reason the reason
	 * @return the count
	 */
	public static long rejected(SampleInstance instance, RejectReason reason) {
		JsonNode metric = get(instance, "/actuator/metrics/failover.records.rejected?tag=reason:" + reason.tag());
		for (JsonNode measurement : metric.path("measurements")) {
			if ("COUNT".equals(measurement.path("statistic").asString())) {
				return Math.round(measurement.path("value").asDouble());
			}
		}
		throw new IllegalStateException("No COUNT in failover.records.rejected of " + instance.id() + ": " + metric);
	}

	/**
	 * Returns how many of this run's ledger writes Kafka rejected as fenced, from the
	 * sample's {@code GET /status}.
	 * @param instance the instance
	 * @return the count
	 */
	public static long fencedLedgerWrites(SampleInstance instance) {
		return get(instance, "/status").path("ledger").path("fencedWritesOfThisInstance").asLong();
	}

}
