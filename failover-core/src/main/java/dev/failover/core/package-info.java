/**
 * The failover API: {@link dev.failover.core.Watcher} keeps one member of a group primary
 * over an ordered log, configured by {@link dev.failover.core.FailoverConfig}, and tells
 * {@link dev.failover.core.RoleChangeListener}s of every {@link dev.failover.core.RoleChange}.
 * <p>
 * Public API: stable, for applications and adapters. Implementations of the log and the
 * clock plug in through {@code dev.failover.core.spi}; everything under
 * {@code dev.failover.core.internal} is not API and may change in any release.
 */
package dev.failover.core;
