package dev.failover.core.spi;

/**
 * How a watcher shows that its process is alive, and learns that another's is gone: the
 * evidence behind fast crash detection (docs/PROTOCOL.md, "Fast crash detection").
 * <p>
 * Every member opens an {@link Endpoint} for the life of its watcher; the primary announces
 * its address in its heartbeats; secondaries {@linkplain #watch watch} the primary's. A
 * connection to a process's endpoint ends when the process dies (its kernel closes its
 * sockets at once), and a new connection to the same address is then refused: that, and
 * only that, is evidence that the process is gone. A paused process, a vanished host, a cut
 * network or a refused first connection give none. Implementations: TCP
 * ({@code failover-core}'s own), and an in-memory one for tests under virtual time.
 */
public interface ProcessProbes {

	/**
	 * Who answers at an endpoint: a watcher's group, instance and session.
	 *
	 * @param group the group
	 * @param instanceId the instance
	 * @param session the watcher's session (a process restarted on the same port has another)
	 */
	record Identity(String group, String instanceId, String session) {
	}

	/**
	 * Opens this process's endpoint: until it is closed, connections to it are accepted and
	 * answered with {@code self}. The watcher closes it only once it no longer acts as primary.
	 * @param self who answers
	 * @return the open endpoint
	 */
	Endpoint open(Identity self);

	/**
	 * Watches another process's endpoint: connects, checks that {@code expected} answers,
	 * and calls {@code gone} once, from a thread of its own, if a connection that was
	 * established and answered by {@code expected} ends and a new connection to the same
	 * address is then refused. Nothing else is evidence.
	 * @param address where the other process's endpoint is ({@code host:port})
	 * @param expected who must answer there
	 * @param gone what to run on evidence that the process is gone
	 * @return the watch, to close when it is no longer wanted
	 */
	Watch watch(String address, Identity expected, Runnable gone);

	/** An open endpoint. */
	interface Endpoint extends AutoCloseable {

		/**
		 * Returns where others reach this endpoint.
		 * @return {@code host:port}
		 */
		String address();

		/** Stops answering: connections to it end, new ones are refused. */
		@Override
		void close();

	}

	/** A watch of another process's endpoint. */
	interface Watch extends AutoCloseable {

		/** Stops watching; {@code gone} is not called after this returns. */
		@Override
		void close();

	}

}
