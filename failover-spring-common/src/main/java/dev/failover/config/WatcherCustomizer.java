package dev.failover.config;

import dev.failover.core.Watcher;

/**
 * Customizes the auto-configured {@link Watcher} before it is built, for instance to add a
 * promote callback. Customizer beans are applied in {@code @Order}.
 */
@FunctionalInterface
public interface WatcherCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the watcher builder
	 */
	void customize(Watcher.Builder builder);

}
