package dev.failover.internal;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Keeps a failover starter of the other Spring Boot generation from running in an
 * application: with {@code failover.enabled=true} the application fails at startup with a
 * message that names the starter to use (rather than run on without failover); otherwise
 * every failover auto-configuration is left out, and so are the auto-configurations of the
 * other generation that its starter brings along (they cannot load on this generation), so
 * that the application starts as if the starter were absent.
 * <p>
 * An auto-configuration import filter, because only a filter sees auto-configurations before
 * Spring reads their classes; both generations have the same filter API.
 */
public final class BootGenerationFilter implements AutoConfigurationImportFilter, BeanClassLoaderAware, EnvironmentAware {

	private ClassLoader classLoader = BootGenerationFilter.class.getClassLoader();

	private Environment environment;

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public boolean[] match(String[] autoConfigurations, AutoConfigurationMetadata metadata) {
		boolean[] match = new boolean[autoConfigurations.length];
		BootGeneration running = BootGeneration.running(this.classLoader);
		BootGeneration other = running.other();
		boolean foreign = other.isStarterPresent(this.classLoader);
		if (foreign && this.environment != null && this.environment.getProperty("failover.enabled", Boolean.class, false)) {
			throw other.wrongGeneration(running, running.isStarterPresent(this.classLoader));
		}
		for (int i = 0; i < autoConfigurations.length; i++) {
			String name = autoConfigurations[i];
			match[i] = !foreign || name == null || !(name.startsWith("dev.failover.") || other.brings(name));
		}
		return match;
	}

}
