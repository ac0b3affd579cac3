package dev.failover.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import dev.failover.core.FailoverConfig;
import dev.failover.core.FailoverConfigException;
import dev.failover.core.RoleChangeListener;
import dev.failover.core.Watcher;
import dev.failover.core.spi.Transport;
import dev.failover.event.RoleChangedEventPublisher;
import dev.failover.primary.PrimaryOnlyBeanPostProcessor;
import dev.failover.primary.PrimaryOnlyMethodInterceptor;
import dev.failover.config.FailoverProperties;
import dev.failover.config.WatcherCustomizer;
import dev.failover.internal.FailoverLifecycle;
import dev.failover.internal.LeaseLostExit;
import dev.failover.internal.PrimaryOnlyLifecycleController;
import dev.failover.internal.ReadinessRoleMapper;
import dev.failover.internal.UnavailableTransport;

/**
 * Auto-configuration of primary/secondary failover: the {@link Watcher}, its life cycle,
 * Spring events, {@code @PrimaryOnly} methods and primary-only components.
 * <p>
 * The watcher is created even when {@code failover.enabled} is false: it then keeps the
 * configured role ({@code primary} by default, so an application that merely adds the
 * dependency keeps running its primary-only work) and opens no connection until failover is
 * enabled at runtime.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
		"org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration",
		"org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration" })
@EnableConfigurationProperties(FailoverProperties.class)
public final class FailoverAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Watcher failoverWatcher(FailoverProperties properties, Environment environment,
			ObjectProvider<Transport> transport, ObjectProvider<WatcherCustomizer> customizers) {
		FailoverConfig config = properties.toConfig();
		Transport available = transport.getIfAvailable();
		if (available == null) {
			if (config.enabled()) {
				throw new FailoverConfigException("enabled", UnavailableTransport.MESSAGE + ".",
						"Add a transport, or set failover.enabled=false.");
			}
			available = new UnavailableTransport();
		}
		Watcher.Builder builder = Watcher.builder()
			.group(group(properties, environment, config.enabled()))
			.instanceId(StringUtils.hasText(properties.getInstanceId()) ? properties.getInstanceId().trim()
					: Watcher.defaultInstanceId())
			.transport(available)
			.config(config);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	private static String group(FailoverProperties properties, Environment environment, boolean enabled) {
		if (StringUtils.hasText(properties.getGroup())) {
			return properties.getGroup().trim();
		}
		String name = environment.getProperty("spring.application.name");
		if (StringUtils.hasText(name)) {
			return name.trim();
		}
		if (enabled) {
			throw new FailoverConfigException("group",
					"no failover group is set, and there is no spring.application.name to default to.",
					"Set failover.group (or spring.application.name) to the same name on every instance of the service.");
		}
		return "application";
	}

	@Bean
	@ConditionalOnMissingBean
	FailoverLifecycle failoverLifecycle(Watcher watcher, ObjectProvider<RoleChangeListener> listeners,
			FailoverProperties properties) {
		List<RoleChangeListener> ordered = listeners.orderedStream().toList();
		return new FailoverLifecycle(watcher, ordered, properties.getShutdownTimeout(),
				properties.isRehearseHandover());
	}

	@Bean
	@ConditionalOnMissingBean
	RoleChangedEventPublisher failoverRoleChangedEventPublisher(Watcher watcher, ApplicationEventPublisher publisher) {
		return new RoleChangedEventPublisher(watcher, publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static PrimaryOnlyBeanPostProcessor failoverPrimaryOnlyBeanPostProcessor(ObjectProvider<Watcher> watcher) {
		return new PrimaryOnlyBeanPostProcessor(new PrimaryOnlyMethodInterceptor(watcher::getObject));
	}

	@Bean
	@ConditionalOnMissingBean
	PrimaryOnlyLifecycleController failoverPrimaryOnlyLifecycleController(BeanFactory beanFactory,
			ObjectProvider<Watcher> watcher, FailoverProperties properties) {
		return new PrimaryOnlyLifecycleController(beanFactory, watcher::getObject,
				properties.getPrimaryOnly().getLifecycleBeans(), properties.getPrimaryOnly().getKafkaListeners());
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	WatcherCustomizer failoverPrimaryOnlyWatcherCustomizer(PrimaryOnlyLifecycleController primaryOnly) {
		return (builder) -> {
			if (primaryOnly.hasComponents()) {
				primaryOnly.applyTo(builder);
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("failover.readiness.enabled")
	ReadinessRoleMapper failoverReadinessRoleMapper(Watcher watcher, ApplicationEventPublisher publisher) {
		return new ReadinessRoleMapper(watcher, publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "failover.on-lease-lost", havingValue = "exit")
	LeaseLostExit failoverLeaseLostExit(ApplicationContext context) {
		return new LeaseLostExit(context);
	}

}
