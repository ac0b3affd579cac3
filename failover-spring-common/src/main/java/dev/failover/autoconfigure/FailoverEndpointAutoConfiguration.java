package dev.failover.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.failover.actuate.FailoverEndpoint;
import dev.failover.core.Watcher;

/**
 * Auto-configuration of the {@code failover} Actuator endpoint, when Actuator is present
 * and the endpoint is exposed.
 */
@AutoConfiguration(after = FailoverAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
		"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
public final class FailoverEndpointAutoConfiguration {

	@Bean
	@ConditionalOnAvailableEndpoint(FailoverEndpoint.class)
	@ConditionalOnMissingBean
	@ConditionalOnBean(Watcher.class)
	FailoverEndpoint failoverEndpoint(Watcher watcher) {
		return new FailoverEndpoint(watcher);
	}

}
