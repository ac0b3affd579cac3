package dev.failover.test.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Sets the {@code failover.*} properties of a test annotated with
 * {@link AutoConfigureFailover}: failover on, over any other setting, and short timings and a
 * group below every other setting, so that what the test or the application sets wins.
 */
class FailoverTestPropertiesCustomizerFactory implements ContextCustomizerFactory {

	/**
	 * The heartbeat interval of a test that sets neither the interval nor the timeout: a
	 * granted successor must heartbeat within one and a half of them, which a busy build
	 * machine does not always manage within 150 ms.
	 */
	static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(200);

	/**
	 * The heartbeat timeout of a test that sets neither: a crashed peer is replaced within a
	 * second, and the lease (800 ms) outlasts the pauses of a busy build machine, which at
	 * 500 ms (a 400 ms lease) sometimes demoted a primary in the middle of a test.
	 */
	static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(1);

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new Customizer();
	}

	/** Adds the property sources; all instances are equal, so contexts are cached as usual. */
	private static final class Customizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			ConfigurableEnvironment environment = context.getEnvironment();
			environment.getPropertySources()
				.addFirst(new MapPropertySource("failoverTestOverrides", Map.of("failover.enabled", "true")));
			environment.getPropertySources().addLast(new MapPropertySource("failoverTestDefaults", defaults(environment)));
		}

		private static Map<String, Object> defaults(ConfigurableEnvironment environment) {
			Binder binder = Binder.get(environment);
			Map<String, Object> defaults = new LinkedHashMap<>();
			// both or neither: one of them alone, beside the other's production default, could
			// break the rule that the timeout is at least twice the interval
			if (!binder.bind("failover.heartbeat-interval", String.class).isBound()
					&& !binder.bind("failover.heartbeat-timeout", String.class).isBound()) {
				defaults.put("failover.heartbeat-interval", HEARTBEAT_INTERVAL.toString());
				defaults.put("failover.heartbeat-timeout", HEARTBEAT_TIMEOUT.toString());
			}
			// the rehearsal warms code for a production handover; in a test it only takes CPU
			defaults.put("failover.rehearse-handover", "false");
			// with failover on, the starter needs a group; a small test application may have no name
			defaults.put("failover.group", "${spring.application.name:failover-test}");
			return defaults;
		}

		@Override
		public boolean equals(Object other) {
			return other != null && other.getClass() == getClass();
		}

		@Override
		public int hashCode() {
			return getClass().hashCode();
		}

	}

}
