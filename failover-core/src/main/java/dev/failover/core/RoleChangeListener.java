package dev.failover.core;

/**
 * Receives the role changes of one watcher.
 * <p>
 * Listeners are called in the order the changes happened, on the watcher's callback thread
 * (named {@code failover-callbacks-<instance>}) or on the executor given with the listener,
 * never on the watcher's event loop: a slow listener never delays a heartbeat. By the time a
 * listener runs, the role may already have changed again; ask {@link Watcher#isPrimary()}
 * before acting on it. Exceptions thrown by a listener are caught and logged.
 * <p>
 * Listeners are notifications, not gates: a handing-over primary announces its departure
 * once its demote callback ({@link Watcher.Builder#onDemote(RoleCallback)}) has run, without
 * waiting for them. Work that must stop before a successor starts belongs in the demote
 * callback.
 */
@FunctionalInterface
public interface RoleChangeListener {

	/**
	 * Called after the role of the instance changed.
	 * @param change the change
	 */
	void onRoleChange(RoleChange change);

}
