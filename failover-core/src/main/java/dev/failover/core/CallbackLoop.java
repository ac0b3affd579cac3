package dev.failover.core;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.slf4j.Logger;

import dev.failover.core.spi.EventLoop;
import dev.failover.core.spi.FailoverClock;

/**
 * The callback thread of one watcher: runs the promote and demote callbacks and tells the
 * role-change listeners, in the order asked, never on the event loop. A callback's return
 * goes back to the event loop through the reports its caller passes.
 */
final class CallbackLoop {

	private final Logger logger;

	private final String instanceId;

	private final RoleCallback onPromote;

	private final RoleCallback onDemote;

	private final RoleChangeListeners listeners = new RoleChangeListeners();

	private volatile EventLoop loop;

	CallbackLoop(Logger logger, String instanceId, RoleCallback onPromote, RoleCallback onDemote) {
		this.logger = logger;
		this.instanceId = instanceId;
		this.onPromote = onPromote;
		this.onDemote = onDemote;
	}

	void addListener(RoleChangeListener listener, Executor executor) {
		this.listeners.add(listener, executor);
	}

	void removeListener(RoleChangeListener listener) {
		this.listeners.remove(listener);
	}

	/** Starts the thread. */
	void open(FailoverClock clock) {
		this.loop = clock.newEventLoop("failover-callbacks-" + this.instanceId);
	}

	/** Runs a task after those queued before it (such as closing what may wait for a thread). */
	void execute(Runnable task) {
		this.loop.execute(task);
	}

	/** Stops the thread once the tasks queued before have run; nothing if it never started. */
	void shutdown() {
		EventLoop current = this.loop;
		if (current != null) {
			current.shutdown();
		}
	}

	/**
	 * Runs the promote callback, then reports how it returned.
	 * @param epoch the epoch being taken
	 * @param done told the callback's failure, or {@code null}
	 */
	void promote(long epoch, Consumer<Throwable> done) {
		this.loop.execute(() -> {
			Throwable failure = null;
			try {
				this.onPromote.run(epoch);
			}
			catch (Throwable ex) {
				failure = ex;
			}
			done.accept(failure);
		});
	}

	/**
	 * Runs the demote callback (a failure is logged), then reports its return if asked to.
	 * @param epoch the epoch given up
	 * @param done told when it returned, or {@code null}
	 */
	void demote(long epoch, Runnable done) {
		this.loop.execute(() -> {
			try {
				this.onDemote.run(epoch);
			}
			catch (Throwable ex) {
				this.logger.error("Demote callback of instance '{}' failed", this.instanceId, ex);
			}
			if (done != null) {
				done.run();
			}
		});
	}

	/**
	 * Tells the listeners of a role change. Every role change goes through here; the state
	 * that shows it has been published already.
	 * @param change the change
	 * @param withDemoteCallback whether to run the demote callback first (a change the
	 * election did not decide: a static primary joining the group)
	 */
	void announce(RoleChange change, boolean withDemoteCallback) {
		if (withDemoteCallback && change.isDemotion() && this.onDemote != null) {
			demote(change.epoch(), null);
		}
		this.loop.execute(() -> this.listeners.deliver(change));
	}

}
