package dev.failover.autoconfigure;

import java.util.List;
import java.util.Locale;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

import dev.failover.actuate.FailoverHealthIndicator;
import dev.failover.core.FailoverConfigException;
import dev.failover.core.Watcher;
import dev.failover.config.FailoverProperties;

/**
 * Auto-configuration of the {@code failover} health contributor, when Boot's health support
 * is present ({@code management.health.failover.enabled} turns it off).
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
		return new FailoverHealthIndicator(watcher, logUnreachableStatus(properties.getHealth().getLogUnreachableStatus()));
	}

	static Status logUnreachableStatus(String value) {
		String code = (value != null) ? value.trim().toUpperCase(Locale.ROOT).replace('-', '_') : "";
		for (Status status : List.of(Status.DOWN, Status.OUT_OF_SERVICE, Status.UNKNOWN, Status.UP)) {
			if (status.getCode().equals(code)) {
				return status;
			}
		}
		throw new FailoverConfigException("health.log-unreachable-status",
				"health.log-unreachable-status '" + value + "' is not a health status this contributor can report.",
				"Set health.log-unreachable-status to DOWN (the default), OUT_OF_SERVICE, UNKNOWN or UP.");
	}

}
