/**
 * What an application configures: the {@code failover.*} properties
 * ({@link dev.failover.config.FailoverProperties}) and the
 * {@link dev.failover.config.WatcherCustomizer} extension point. Public API.
 */
package dev.failover.config;
