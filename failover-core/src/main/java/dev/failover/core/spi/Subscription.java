package dev.failover.core.spi;

/**
 * A running read of a group's log; closing it stops deliveries.
 */
public interface Subscription extends AutoCloseable {

	/**
	 * Stops reading. Safe to call more than once; a delivery in progress may still finish.
	 * May wait (briefly) for a reader thread to stop, so watchers never call it on their
	 * event loop.
	 */
	@Override
	void close();

}
