package dev.failover.core.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.failover.core.spi.EventLoop;
import dev.failover.core.spi.FailoverClock;
import dev.failover.core.spi.ProcessProbes;

/**
 * Process probes between watchers of one JVM, for tests under virtual time: an endpoint
 * that closes (the watcher crashed or left) tells the watches connected to it, a moment
 * later, that their process is gone, as TCP's end of connection and refused reconnect would;
 * a paused watcher, or one cut off from the log, tells nobody anything. A test may also
 * {@linkplain #forgeReset forge} the evidence, breaking the assumption the feature rests on.
 */
public final class InMemoryProbes implements ProcessProbes {

	private final FailoverClock clock;

	/** Made on first use, so that a group that never uses the probes has no loop for them. */
	private EventLoop loop;

	private final long delayNanos;

	private final Map<String, Open> endpoints = new HashMap<>();

	private final List<Watching> watches = new ArrayList<>();

	private int next;

	/**
	 * Creates probes whose evidence arrives one millisecond after the endpoint closed.
	 * @param clock the clock whose event loop delivers the evidence
	 */
	public InMemoryProbes(FailoverClock clock) {
		this(clock, Duration.ofMillis(1));
	}

	/**
	 * Creates probes.
	 * @param clock the clock whose event loop delivers the evidence
	 * @param delay how long after an endpoint closes the evidence arrives
	 */
	public InMemoryProbes(FailoverClock clock, Duration delay) {
		this.clock = clock;
		this.delayNanos = delay.toNanos();
	}

	@Override
	public synchronized Endpoint open(Identity self) {
		String address = "memory:" + (++this.next);
		Open open = new Open(address, self);
		this.endpoints.put(address, open);
		return open;
	}

	@Override
	public synchronized Watch watch(String address, Identity expected, Runnable gone) {
		Open open = this.endpoints.get(address);
		Watching watching = new Watching(address, gone, open != null && open.self.equals(expected));
		this.watches.add(watching);
		return watching;
	}

	/**
	 * Tells the watches of an instance's open endpoint that its process is gone, although it
	 * is not: what a middlebox that forges resets (and refusals) would make a watcher believe.
	 * @param instanceId the instance
	 * @return how many watches were told
	 */
	public synchronized int forgeReset(String instanceId) {
		int told = 0;
		for (Open open : this.endpoints.values()) {
			if (open.self.instanceId().equals(instanceId)) {
				told += endConnections(open.address);
			}
		}
		return told;
	}

	private synchronized void closed(Open open) {
		if (this.endpoints.remove(open.address) != null) {
			endConnections(open.address);
		}
	}

	private int endConnections(String address) {
		int told = 0;
		for (Watching watching : new ArrayList<>(this.watches)) {
			if (watching.address.equals(address) && watching.connected) {
				watching.connected = false;
				this.watches.remove(watching);
				if (this.loop == null) {
					this.loop = this.clock.newEventLoop("in-memory-probes");
				}
				this.loop.schedule(watching::tell, this.delayNanos);
				told++;
			}
		}
		return told;
	}

	private synchronized void stopped(Watching watching) {
		watching.stopped = true;
		this.watches.remove(watching);
	}

	private final class Open implements Endpoint {

		final String address;

		final Identity self;

		Open(String address, Identity self) {
			this.address = address;
			this.self = self;
		}

		@Override
		public String address() {
			return this.address;
		}

		@Override
		public void close() {
			closed(this);
		}

	}

	private final class Watching implements Watch {

		final String address;

		final Runnable gone;

		boolean connected;

		boolean stopped;

		Watching(String address, Runnable gone, boolean connected) {
			this.address = address;
			this.gone = gone;
			this.connected = connected;
		}

		void tell() {
			synchronized (InMemoryProbes.this) {
				if (this.stopped) {
					return;
				}
				this.stopped = true;
			}
			this.gone.run();
		}

		@Override
		public void close() {
			stopped(this);
		}

	}

}
