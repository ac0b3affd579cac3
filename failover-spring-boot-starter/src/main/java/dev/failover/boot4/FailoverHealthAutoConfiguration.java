package dev.failover.boot4;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.failover.autoconfigure.FailoverAutoConfiguration;
import dev.failover.config.FailoverProperties;
import dev.failover.core.Watcher;

/**
 * Auto-configuration of the {@code failover} health contributor on Spring Boot 4, when
 * Boot's health support is present ({@code management.health.failover.enabled} turns it off).
 */
@AutoConfiguration(after = FailoverAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator",
		"org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator" })
public final class FailoverHealthAutoConfiguration {

	@Bean
	@ConditionalOnEnabledHealthIndicator("failover")
	@ConditionalOnMissingBean(name = "failoverHealthIndicator")
	@ConditionalOnBean(Watcher.class)
	FailoverHealthIndicator failoverHealthIndicator(Watcher watcher, FailoverProperties properties) {
		return new FailoverHealthIndicator(watcher, properties.getHealth().getLogUnreachableStatus());
	}

}
