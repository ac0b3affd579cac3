package dev.failover.core;

/**
 * A callback run when an instance is about to become primary, or has just stopped being
 * primary.
 * <p>
 * Callbacks run on the watcher's callback thread, never on its event loop. A promote
 * callback is a gate: the instance becomes primary only when it returns normally; if it
 * throws, the instance gives the epoch back, stays secondary and tries again later with a
 * jittered back-off. A demote callback's exception is logged and otherwise ignored.
 */
@FunctionalInterface
public interface RoleCallback {

	/**
	 * Runs the callback.
	 * @param epoch the epoch being taken (promotion) or left (demotion)
	 * @throws Exception to refuse a promotion
	 */
	void run(long epoch) throws Exception;

}
