package dev.failover.core.internal.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import dev.failover.core.FailoverConfig;
import dev.failover.core.spi.ProcessProbes;

/**
 * Process probes over TCP: an endpoint on the configured host and port (port 0: one the
 * system picks, announced in the heartbeats), and watches that connect to the primary's.
 */
public final class TcpProcessProbes implements ProcessProbes {

	private final String host;

	private final int port;

	private final ProbeHandshake handshake;

	private final Duration connectTimeout;

	private final Duration retry;

	/**
	 * Creates the probes of a watcher.
	 * @param config its configuration: the probe's host and port, and the signing keys
	 */
	public TcpProcessProbes(FailoverConfig config) {
		this.host = (config.processProbeHost() != null) ? config.processProbeHost() : localAddress();
		this.port = config.processProbePort();
		this.handshake = new ProbeHandshake(config.signingKey(), config.acceptedSigningKeys(), config.acceptUnsigned());
		// a live process answers within milliseconds; one that does not (paused, far away,
		// cut off) gives no evidence either way, so waiting longer only delays the next try
		this.connectTimeout = Duration.ofMillis(Math.min(1000, Math.max(100, config.heartbeatInterval().toMillis())));
		this.retry = config.heartbeatInterval().dividedBy(2);
	}

	@Override
	public Endpoint open(Identity self) {
		return new TcpEndpoint(this.host, this.port, self, this.handshake);
	}

	@Override
	public Watch watch(String address, Identity expected, Runnable gone) {
		return new TcpWatch(address, expected, this.handshake, gone, this.connectTimeout, this.retry);
	}

	private static String localAddress() {
		try {
			return InetAddress.getLocalHost().getHostAddress();
		}
		catch (UnknownHostException ex) {
			return InetAddress.getLoopbackAddress().getHostAddress();
		}
	}

}
