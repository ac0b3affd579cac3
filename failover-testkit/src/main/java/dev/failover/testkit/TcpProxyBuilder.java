package dev.failover.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A builder for a {@link TcpProxy}.
 */
public final class TcpProxyBuilder {

	String name = "proxy";

	int listenPort;

	String targetHost = FreePorts.HOST;

	int targetPort = -1;

	int maxConnections = 256;

	Duration connectTimeout = Duration.ofSeconds(5);

	TcpProxyBuilder() {
	}

	/**
	 * Sets the name used in thread names and {@link TcpProxy#toString()}.
	 * @param name the name
	 * @return this builder
	 */
	public TcpProxyBuilder name(String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("name must not be blank");
		}
		this.name = name;
		return this;
	}

	/**
	 * Sets the port to listen on; the default, 0, picks a free one.
	 * @param listenPort the port, 0 to 65535
	 * @return this builder
	 */
	public TcpProxyBuilder listenPort(int listenPort) {
		if (listenPort < 0 || listenPort > 65535) {
			throw new IllegalArgumentException("listenPort must be 0 to 65535, was " + listenPort);
		}
		this.listenPort = listenPort;
		return this;
	}

	/**
	 * Sets where connections are forwarded to. Required.
	 * @param host the target host
	 * @param port the target port, 1 to 65535
	 * @return this builder
	 */
	public TcpProxyBuilder target(String host, int port) {
		if (host == null || host.isBlank()) {
			throw new IllegalArgumentException("host must not be blank");
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
		}
		this.targetHost = host;
		this.targetPort = port;
		return this;
	}

	/**
	 * Sets the most connections open at once (default 256); further ones are reset.
	 * @param maxConnections the limit, at least 1
	 * @return this builder
	 */
	public TcpProxyBuilder maxConnections(int maxConnections) {
		if (maxConnections < 1) {
			throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
		}
		this.maxConnections = maxConnections;
		return this;
	}

	/**
	 * Sets how long to wait for the target to accept a connection (default 5 s).
	 * @param connectTimeout the timeout, positive
	 * @return this builder
	 */
	public TcpProxyBuilder connectTimeout(Duration connectTimeout) {
		if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
			throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
		}
		this.connectTimeout = connectTimeout;
		return this;
	}

	/**
	 * Binds the port and starts forwarding.
	 * @return the running proxy
	 * @throws IllegalStateException if no target was set
	 * @throws UncheckedIOException if the port cannot be bound
	 */
	public TcpProxy start() {
		if (this.targetPort < 0) {
			throw new IllegalStateException("TcpProxy '" + this.name + "' needs target(host, port)");
		}
		try {
			return new TcpProxy(this);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot bind TcpProxy '" + this.name + "' on " + FreePorts.HOST + ":"
					+ this.listenPort, ex);
		}
	}

}
