package dev.failover.core;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The role-change listeners of one watcher, each with the executor it wants to be called on
 * (or none: the callback thread). A listener that throws, or whose executor refuses it, is
 * logged and never stops the others.
 */
final class RoleChangeListeners {

	private static final Logger LOGGER = LoggerFactory.getLogger(Watcher.class);

	private final List<Registration> registrations = new CopyOnWriteArrayList<>();

	void add(RoleChangeListener listener, Executor executor) {
		this.registrations.add(new Registration(Objects.requireNonNull(listener, "listener"), executor));
	}

	void remove(RoleChangeListener listener) {
		this.registrations.removeIf((registration) -> registration.listener == listener);
	}

	/** Tells every listener, in the order they were added; called on the callback thread. */
	void deliver(RoleChange change) {
		for (Registration registration : this.registrations) {
			registration.deliver(change);
		}
	}

	/** A listener and the executor it wants to be called on (or {@code null}). */
	private record Registration(RoleChangeListener listener, Executor executor) {

		void deliver(RoleChange change) {
			if (this.executor == null) {
				call(change);
				return;
			}
			try {
				this.executor.execute(() -> call(change));
			}
			catch (RuntimeException ex) {
				LOGGER.error("Executor of role-change listener {} rejected {}", this.listener, change, ex);
			}
		}

		private void call(RoleChange change) {
			try {
				this.listener.onRoleChange(change);
			}
			catch (Throwable ex) {
				LOGGER.error("Role-change listener {} failed on {}", this.listener, change, ex);
			}
		}

	}

}
