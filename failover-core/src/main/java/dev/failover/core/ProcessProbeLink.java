package dev.failover.core;

import dev.failover.core.internal.probe.TcpProcessProbes;
import dev.failover.core.spi.ProcessProbes;

/**
 * A watcher's side of the process probe: the endpoint that shows this process is alive, and
 * the watch on the primary's endpoint. Opened and closed from any thread; the endpoint
 * closes only once the watcher acts no more, so that its end tells the others so.
 */
final class ProcessProbeLink {

	private final String group;

	private final String instanceId;

	/** How this process shows it is alive and watches the primary's, or {@code null} with the probe off. */
	private final ProcessProbes probes;

	private volatile ProcessProbes.Endpoint endpoint;

	private volatile ProcessProbes.Watch watch;

	/**
	 * Creates the link; with the probe off in the configuration it does nothing.
	 * @param probes the probes to use, or {@code null} for TCP
	 */
	ProcessProbeLink(String group, String instanceId, FailoverConfig config, ProcessProbes probes) {
		this.group = group;
		this.instanceId = instanceId;
		this.probes = !config.processProbe() ? null : (probes != null) ? probes : new TcpProcessProbes(config);
	}

	/**
	 * Opens this process's endpoint for a session (on the caller's thread, so that a port that
	 * cannot be bound fails the start).
	 * @return the address the endpoint is announced at, or {@code null} with the probe off
	 */
	String open(String session) {
		if (this.probes == null) {
			return null;
		}
		ProcessProbes.Endpoint opened = this.probes.open(new ProcessProbes.Identity(this.group, this.instanceId, session));
		this.endpoint = opened;
		return opened.address();
	}

	/**
	 * Watches another member's endpoint instead of the one watched so far.
	 * @param address its address, or {@code null} to watch none
	 * @param onGone told when the evidence says its process is gone
	 */
	void watch(String address, String instance, String session, Runnable onGone) {
		ProcessProbes.Watch previous = this.watch;
		this.watch = null;
		if (previous != null) {
			previous.close();
		}
		if (address == null || this.probes == null) {
			return;
		}
		this.watch = this.probes.watch(address, new ProcessProbes.Identity(this.group, instance, session), onGone);
	}

	/** Stops watching and closes the endpoint; call only once the watcher acts no more. */
	void close() {
		ProcessProbes.Watch watching = this.watch;
		this.watch = null;
		if (watching != null) {
			watching.close();
		}
		ProcessProbes.Endpoint open = this.endpoint;
		this.endpoint = null;
		if (open != null) {
			open.close();
		}
	}

}
