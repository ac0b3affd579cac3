package dev.failover.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small HTTP client for one sample instance's JSON endpoints on {@code 127.0.0.1}.
 * <p>
 * Every request has a timeout: a paused instance accepts connections (the kernel does) but
 * never answers, and a poller must not hang on it.
 */
final class HttpJson {

	private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

	private final String baseUrl;

	private final HttpClient client;

	HttpJson(String baseUrl) {
		this.baseUrl = baseUrl;
		// HTTP/1.1: the default would try an h2c upgrade on every new connection, which Tomcat does not offer
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(CONNECT_TIMEOUT)
			.build();
	}

	/**
	 * Sends {@code GET} and returns the body of a 200 answer.
	 * @param path the path, such as {@code /actuator/failover}
	 * @param timeout the request timeout
	 * @return the body
	 * @throws UncheckedIOException if the instance does not answer in time
	 * @throws IllegalStateException if it answers with another status
	 */
	String get(String path, Duration timeout) {
		HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(timeout).GET().build();
		return expectOk(request, send(request));
	}

	/**
	 * Sends {@code POST} with a JSON body and returns the response, whatever its status.
	 * @param path the path
	 * @param json the request body
	 * @param timeout the request timeout
	 * @return the response
	 * @throws UncheckedIOException if the instance does not answer in time
	 */
	HttpResponse<String> post(String path, String json, Duration timeout) {
		HttpRequest request = HttpRequest.newBuilder(uri(path))
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
			.build();
		return send(request);
	}

	private URI uri(String path) {
		return URI.create(this.baseUrl + path);
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during " + request.method() + " " + request.uri(), ex);
		}
	}

	private static String expectOk(HttpRequest request, HttpResponse<String> response) {
		if (response.statusCode() != 200) {
			throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode()
					+ ": " + JsonFields.abbreviate(response.body()));
		}
		return response.body();
	}

}
