package dev.failover.testkit;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on {@value FreePorts#HOST} that can cut the network between its clients
 * and its target on demand, to simulate partitions in process-level tests.
 * <p>
 * Each connection is forwarded byte for byte in both directions at once, and a half-close
 * is passed on: when one side shuts down its output the other side sees end-of-stream while
 * the opposite direction keeps flowing, which is what protocols such as Kafka's expect of TCP.
 * <p>
 * Two kinds of cut, see {@link Mode}: {@link Mode#REFUSE} is a fast failure (every live
 * connection is reset, new ones are reset at once), {@link Mode#BLACKHOLE} is a hung network
 * (nothing moves, nobody is told; only the clients' own timeouts notice). {@link #restore()}
 * heals either.
 * <p>
 * Resources are bounded: at most {@code maxConnections} live connections (more are reset),
 * two daemon threads and two buffers per connection. Instances are thread-safe.
 */
public final class TcpProxy implements AutoCloseable {

	/**
	 * How a {@link #cut(Mode) cut} behaves.
	 */
	public enum Mode {

		/**
		 * Resets every live connection and every new one at once, as a peer that is down
		 * or a firewall that rejects. New connections are accepted and then reset rather
		 * than refused by an unbound port, so that the port cannot be taken by another
		 * process while the cut lasts; clients see the same immediate failure.
		 */
		REFUSE,

		/**
		 * Forwards nothing, in either direction, on live and new connections, and closes
		 * nothing: as a hung network or a silently dropping firewall. Bytes already read are
		 * held, not dropped, and flow again on {@link #restore()}, as TCP would retransmit
		 * them; a client whose own timeouts expire in the meantime closes its connection.
		 * So, as on a real network, a request the client has given up on (a produce that
		 * timed out) may still reach the target after the restore.
		 */
		BLACKHOLE

	}

	private final String name;

	private final String targetHost;

	private final int targetPort;

	private final int maxConnections;

	private final Duration connectTimeout;

	private final ServerSocket serverSocket;

	private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();

	private final Object lock = new Object();

	private Mode cut;

	private boolean closed;

	final AtomicLong bytesToTarget = new AtomicLong();

	final AtomicLong bytesFromTarget = new AtomicLong();

	private final AtomicLong connectionsAccepted = new AtomicLong();

	private final AtomicLong connectionsRejected = new AtomicLong();

	private final AtomicLong connectionIds = new AtomicLong();

	TcpProxy(TcpProxyBuilder builder) throws IOException {
		this.name = builder.name;
		this.targetHost = builder.targetHost;
		this.targetPort = builder.targetPort;
		this.maxConnections = builder.maxConnections;
		this.connectTimeout = builder.connectTimeout;
		this.serverSocket = new ServerSocket();
		try {
			// lets a restarted test bind the same port at once although old connections linger in TIME_WAIT
			this.serverSocket.setReuseAddress(true);
			this.serverSocket.bind(new InetSocketAddress(InetAddress.getByName(FreePorts.HOST), builder.listenPort), 128);
		}
		catch (IOException ex) {
			this.serverSocket.close();
			throw ex;
		}
		Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + this.name + "-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Starts a proxy on a free port that forwards to a port on {@value FreePorts#HOST}.
	 * @param targetPort the port to forward to
	 * @return the running proxy
	 */
	public static TcpProxy start(int targetPort) {
		return builder().target(FreePorts.HOST, targetPort).start();
	}

	/**
	 * Returns a builder for a proxy.
	 * @return a new builder
	 */
	public static TcpProxyBuilder builder() {
		return new TcpProxyBuilder();
	}

	/**
	 * Returns the port this proxy listens on.
	 * @return the local port
	 */
	public int port() {
		return this.serverSocket.getLocalPort();
	}

	/**
	 * Returns the address clients connect to, such as {@code 127.0.0.1:40123}.
	 * @return {@code host:port} of this proxy
	 */
	public String address() {
		return FreePorts.HOST + ":" + port();
	}

	/**
	 * Returns the name given to the builder (used in thread names).
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Cuts the network in {@link Mode#REFUSE} mode: every connection fails at once.
	 */
	public void cut() {
		cut(Mode.REFUSE);
	}

	/**
	 * Cuts the network between clients and target; see {@link Mode}. Cutting again with
	 * another mode switches modes.
	 * @param mode how to cut
	 */
	public void cut(Mode mode) {
		Objects.requireNonNull(mode, "mode must not be null");
		List<ProxyConnection> toReset = new ArrayList<>();
		synchronized (this.lock) {
			this.cut = mode;
			if (mode == Mode.REFUSE) {
				toReset.addAll(this.connections);
			}
			this.lock.notifyAll();
		}
		toReset.forEach(ProxyConnection::reset);
	}

	/**
	 * Ends a cut: new connections are forwarded again, and blackholed connections resume
	 * with the bytes they held.
	 */
	public void restore() {
		synchronized (this.lock) {
			this.cut = null;
			this.lock.notifyAll();
		}
	}

	/**
	 * Returns the current cut, if any.
	 * @return the mode of the current cut, or empty while forwarding
	 */
	public Optional<Mode> cutMode() {
		synchronized (this.lock) {
			return Optional.ofNullable(this.cut);
		}
	}

	/**
	 * Returns the bytes forwarded from clients to the target since start (bytes held by a
	 * blackhole are counted once they are released). A byte is counted before it is
	 * written, so a test that has seen bytes arrive also sees them counted.
	 * @return a byte count
	 */
	public long bytesToTarget() {
		return this.bytesToTarget.get();
	}

	/**
	 * Returns the bytes forwarded from the target to clients since start, counted like
	 * {@link #bytesToTarget()}.
	 * @return a byte count
	 */
	public long bytesFromTarget() {
		return this.bytesFromTarget.get();
	}

	/**
	 * Returns the client connections accepted for forwarding since start.
	 * @return a connection count
	 */
	public long connectionsAccepted() {
		return this.connectionsAccepted.get();
	}

	/**
	 * Returns the client connections reset on arrival (during a {@link Mode#REFUSE} cut, or
	 * beyond the connection limit) since start.
	 * @return a connection count
	 */
	public long connectionsRejected() {
		return this.connectionsRejected.get();
	}

	/**
	 * Returns the connections open now.
	 * @return a connection count
	 */
	public int activeConnections() {
		return this.connections.size();
	}

	/**
	 * Stops listening and resets every live connection. Safe to call more than once.
	 */
	@Override
	public void close() {
		List<ProxyConnection> toReset;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			toReset = new ArrayList<>(this.connections);
			this.lock.notifyAll();
		}
		try {
			this.serverSocket.close();
		}
		catch (IOException ex) {
			// closing a listening socket fails only if it is already closed
		}
		toReset.forEach(ProxyConnection::reset);
	}

	@Override
	public String toString() {
		return "TcpProxy '" + this.name + "' " + address() + " -> " + this.targetHost + ":" + this.targetPort
				+ cutMode().map((mode) -> " (cut: " + mode + ")").orElse("");
	}

	/**
	 * Blocks while a {@link Mode#BLACKHOLE} cut lasts.
	 * @param connection the connection asking
	 * @return {@code true} to go on forwarding, {@code false} if the connection or the proxy
	 * was closed meanwhile
	 */
	boolean awaitOpen(ProxyConnection connection) throws InterruptedException {
		synchronized (this.lock) {
			while (this.cut == Mode.BLACKHOLE && !this.closed && !connection.isClosed()) {
				this.lock.wait();
			}
			return !this.closed && !connection.isClosed();
		}
	}

	/** Wakes threads parked in {@link #awaitOpen}, after a connection was closed. */
	void wakeUp() {
		synchronized (this.lock) {
			this.lock.notifyAll();
		}
	}

	void remove(ProxyConnection connection) {
		this.connections.remove(connection);
	}

	Socket connectTarget() throws IOException {
		Socket target = new Socket();
		try {
			target.setTcpNoDelay(true);
			target.connect(new InetSocketAddress(this.targetHost, this.targetPort), (int) this.connectTimeout.toMillis());
			// with nothing listening, TCP may connect a socket to itself when the kernel picks the
			// target port as its source port; that would echo the client's bytes back and hold the
			// port the target is about to restart on
			if (target.getLocalPort() == target.getPort() && target.getLocalAddress().equals(target.getInetAddress())) {
				throw new ConnectException("Connected to itself: nothing listens on " + this.targetHost + ":"
						+ this.targetPort);
			}
			return target;
		}
		catch (IOException ex) {
			// a reset leaves no TIME_WAIT behind on the target's port
			ProxyConnection.resetQuietly(target);
			throw ex;
		}
	}

	private void acceptLoop() {
		while (true) {
			Socket client;
			try {
				client = this.serverSocket.accept();
			}
			catch (IOException ex) {
				if (this.serverSocket.isClosed()) {
					// the proxy is closing
					return;
				}
				// out of file descriptors or a similar passing failure: back off instead of spinning
				pause();
				continue;
			}
			admit(client);
		}
	}

	private static void pause() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void admit(Socket client) {
		ProxyConnection connection;
		synchronized (this.lock) {
			// decided under the lock so that a concurrent cut(REFUSE) cannot miss this connection
			if (this.closed || this.cut == Mode.REFUSE || this.connections.size() >= this.maxConnections) {
				this.connectionsRejected.incrementAndGet();
				ProxyConnection.resetQuietly(client);
				return;
			}
			connection = new ProxyConnection(this, client, this.connectionIds.incrementAndGet());
			this.connections.add(connection);
			this.connectionsAccepted.incrementAndGet();
		}
		try {
			client.setTcpNoDelay(true);
		}
		catch (SocketException ex) {
			// the client is already gone; its pump will notice
		}
		connection.start();
	}

}
