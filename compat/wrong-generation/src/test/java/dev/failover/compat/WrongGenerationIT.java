package dev.failover.compat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The compatibility application with the failover starter of the other Spring Boot
 * generation: with failover enabled it fails to start and says which starter to use; with
 * failover off it starts as if the starter were absent (no bean of failover, none of a Spring
 * Boot jar of the other generation that the starter brought along).
 */
@ExtendWith(OutputCaptureExtension.class)
class WrongGenerationIT {

	/** The starter this application depends on. */
	private static final String IN_USE = System.getProperty("compat.starter-in-use");

	/** The starter for the Spring Boot generation this application runs. */
	private static final String TO_USE = System.getProperty("compat.starter-to-use");

	@Test
	void withFailoverEnabledTheApplicationFailsToStartNamingTheStarterToUse(CapturedOutput output) {
		System.out.println("compat: Spring Boot " + SpringBootVersion.getVersion() + " with dev.failover:" + IN_USE);
		assertThatException().isThrownBy(() -> start("--failover.enabled=true").close());
		String report = output.getOut() + output.getErr();
		int start = report.indexOf("APPLICATION FAILED TO START");
		assertThat(start).as("a failure report in %s", report).isNotNegative();
		String end = "or set failover.enabled=false.";
		String failure = report.substring(start, report.indexOf(end, start) + end.length());
		System.out.println("compat: the application printed\n" + failure);
		assertThat(failure).contains("property 'failover.enabled'",
				"dev.failover:" + IN_USE + " is the failover starter for Spring Boot",
				"this application runs Spring Boot " + SpringBootVersion.getVersion(),
				"Depend on dev.failover:" + TO_USE + " instead of dev.failover:" + IN_USE);
	}

	@Test
	void withFailoverOffItStartsAsIfTheStarterWereAbsent() throws Exception {
		try (ConfigurableApplicationContext context = start("--failover.enabled=false")) {
			String generation = SpringBootVersion.getVersion().substring(0, 2);
			for (String name : context.getBeanDefinitionNames()) {
				Class<?> type = context.getType(name);
				if (type == null) {
					continue;
				}
				assertThat(type.getName()).as("bean '%s'", name)
					.matches((className) -> !className.startsWith("dev.failover.")
							|| className.startsWith("dev.failover.compat."));
				String version = type.getPackage().getImplementationVersion();
				if (type.getName().startsWith("org.springframework.boot.") && version != null) {
					assertThat(version).as("Spring Boot jar of bean '%s' (%s)", name, type.getName())
						.startsWith(generation);
				}
			}
			assertThat(get(context, "/actuator/failover").statusCode()).isEqualTo(404);
			HttpResponse<String> health = get(context, "/actuator/health");
			assertThat(health.statusCode()).isEqualTo(200);
			Map<String, Object> body = JsonParserFactory.getJsonParser().parseMap(health.body());
			assertThat(body).containsEntry("status", "UP");
			assertThat(((Map<?, ?>) body.get("components")).containsKey("failover")).as("a failover health component").isFalse();
			assertThat(context.getBean(PrimaryWork.class).run()).as("no @PrimaryOnly proxy").isTrue();
		}
	}

	private static ConfigurableApplicationContext start(String... args) {
		String[] all = Arrays.copyOf(new String[] { "--server.port=0", "--spring.main.banner-mode=off" }, 2 + args.length);
		System.arraycopy(args, 0, all, 2, args.length);
		return new SpringApplicationBuilder(CompatApplication.class).run(all);
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		URI uri = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path);
		return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
	}

}
