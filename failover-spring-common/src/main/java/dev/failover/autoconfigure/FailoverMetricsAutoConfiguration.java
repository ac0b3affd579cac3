package dev.failover.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.failover.core.Watcher;
import dev.failover.micrometer.FailoverMeterBinder;

/**
 * Auto-configuration of failover metrics, when Micrometer and a {@link MeterRegistry} are
 * present.
 */
@AutoConfiguration(after = FailoverAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
				// the same on Spring Boot 3
				"org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBean({ MeterRegistry.class, Watcher.class })
public final class FailoverMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FailoverMeterBinder failoverMeterBinder(Watcher watcher) {
		return new FailoverMeterBinder(watcher);
	}

}
