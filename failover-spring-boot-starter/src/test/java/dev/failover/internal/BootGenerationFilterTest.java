package dev.failover.internal;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import dev.failover.core.FailoverConfigException;
import dev.failover.core.Watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The filter that keeps a starter of the other Spring Boot generation from running, on this
 * module's class path with the other starter made visible (its Kafka auto-configuration's
 * class file, as a resource). These tests run on both generations; compat/ runs each starter
 * in a real application of the other generation.
 */
class BootGenerationFilterTest {

	private static final BootGeneration RUNNING = BootGeneration.running(BootGenerationFilterTest.class.getClassLoader());

	@TempDir
	Path otherStarter;

	@Test
	void withOnlyThisGenerationsStarterEveryAutoConfigurationIsKept() {
		ClassLoader classLoader = getClass().getClassLoader();
		assertThat(RUNNING.isStarterPresent(classLoader)).isTrue();
		assertThat(RUNNING.other().isStarterPresent(classLoader)).isFalse();
		List<String> all = autoConfigurations(classLoader);
		assertThat(all).contains("dev.failover.autoconfigure.FailoverAutoConfiguration");
		assertThat(filter(classLoader, new StandardEnvironment(), all)).isEqualTo(all);
	}

	@Test
	void withTheOtherGenerationsStarterAndFailoverOffFailoverAndWhatItBringsAreLeftOut() throws IOException {
		ClassLoader classLoader = withOtherStarter();
		List<String> candidates = new ArrayList<>(autoConfigurations(classLoader));
		// what the Boot 4 starter brings into a Boot 3 application (nothing the other way);
		// "boot." + "kafka": the Boot 3 build maps Boot 4's Kafka package in these sources
		List<String> foreign = (RUNNING == BootGeneration.BOOT_3)
				? List.of("org.springframework.boot." + "kafka.autoconfigure.KafkaAutoConfiguration",
						"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
						"org.springframework.boot.persistence.autoconfigure.PersistenceExceptionTranslationAutoConfiguration")
				: List.of();
		candidates.addAll(foreign);
		List<String> kept = filter(classLoader, new StandardEnvironment(), candidates);
		assertThat(kept).noneMatch((name) -> name.startsWith("dev.failover.") || foreign.contains(name))
			.as("every auto-configuration of the running Spring Boot")
			.containsAll(candidates.stream()
				.filter((name) -> name.startsWith("org.springframework.boot.") && !foreign.contains(name))
				.toList());
	}

	@Test
	void withTheOtherGenerationsStarterEnablingFailoverFailsNamingTheStarterToUse() throws IOException {
		ClassLoader classLoader = withOtherStarter();
		MockEnvironment environment = new MockEnvironment().withProperty("failover.enabled", "true");
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> filter(classLoader, environment, autoConfigurations(classLoader)))
			.satisfies((ex) -> {
				FailureAnalysis analysis = new FailoverConfigFailureAnalyzer().analyze(ex);
				assertThat(analysis.getDescription()).contains("property 'failover.enabled'",
						"dev.failover:" + RUNNING.other().starter() + " is the failover starter for Spring Boot");
				// this module's class path has the running generation's starter too
				assertThat(analysis.getAction()).contains("Remove the dependency on dev.failover:"
						+ RUNNING.other().starter() + " (dev.failover:" + RUNNING.starter() + " is there too)");
			});
	}

	@Test
	void anApplicationWithTheOtherGenerationsStarterStartsWithoutFailoverOrFailsWhenItIsEnabled() throws IOException {
		ClassLoader classLoader = withOtherStarter();
		try (ConfigurableApplicationContext context = application(classLoader).run()) {
			assertThat(context.getBeanNamesForType(Watcher.class)).isEmpty();
		}
		Throwable failure = startupFailure(application(classLoader).properties("failover.enabled=true"));
		// what the application prints when it fails to start
		FailureAnalysis analysis = new FailoverConfigFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
		assertThat(analysis.getDescription()).contains(RUNNING.other().starter());
	}

	private ClassLoader withOtherStarter() throws IOException {
		String marker = "dev/failover/boot" + ((RUNNING == BootGeneration.BOOT_4) ? "3" : "4")
				+ "/FailoverKafkaAutoConfiguration.class";
		Path file = this.otherStarter.resolve(marker);
		Files.createDirectories(file.getParent());
		Files.write(file, new byte[0]);
		return new URLClassLoader(new URL[] { this.otherStarter.toUri().toURL() }, getClass().getClassLoader());
	}

	private static List<String> autoConfigurations(ClassLoader classLoader) {
		List<String> names = new ArrayList<>();
		ImportCandidates.load(AutoConfiguration.class, classLoader).forEach(names::add);
		return names;
	}

	private static List<String> filter(ClassLoader classLoader, org.springframework.core.env.Environment environment,
			List<String> candidates) {
		BootGenerationFilter filter = new BootGenerationFilter();
		filter.setBeanClassLoader(classLoader);
		filter.setEnvironment(environment);
		boolean[] match = filter.match(candidates.toArray(new String[0]), null);
		List<String> kept = new ArrayList<>();
		for (int i = 0; i < match.length; i++) {
			if (match[i]) {
				kept.add(candidates.get(i));
			}
		}
		return kept;
	}

	private static SpringApplicationBuilder application(ClassLoader classLoader) {
		return new SpringApplicationBuilder(App.class).resourceLoader(new DefaultResourceLoader(classLoader))
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.application.name=orders");
	}

	private static Throwable startupFailure(SpringApplicationBuilder application) {
		try (ConfigurableApplicationContext context = application.run()) {
			throw new AssertionError("started: " + context);
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
