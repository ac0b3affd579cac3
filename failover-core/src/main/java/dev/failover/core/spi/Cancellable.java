package dev.failover.core.spi;

/**
 * A handle on a scheduled task that can be cancelled before it runs.
 */
@FunctionalInterface
public interface Cancellable {

	/** A handle that cancels nothing. */
	Cancellable NONE = () -> {
	};

	/**
	 * Cancels the task if it has not run yet; does nothing otherwise.
	 */
	void cancel();

}
