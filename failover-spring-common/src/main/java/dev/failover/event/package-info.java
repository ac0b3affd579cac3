/**
 * Role changes as Spring events: {@link dev.failover.event.RoleChangedEvent} and the
 * publisher that delivers them off the watcher's event loop. Public API.
 */
package dev.failover.event;
