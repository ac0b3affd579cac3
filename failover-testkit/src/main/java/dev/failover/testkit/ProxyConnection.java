package dev.failover.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection of a {@link TcpProxy}: two threads pump bytes, one per direction.
 * <p>
 * Blocking sockets with a thread per direction keep the forwarding obviously correct for
 * full-duplex traffic and half-closes; the proxy bounds the number of connections, so the
 * number of threads is bounded too.
 */
final class ProxyConnection {

	private static final int BUFFER_SIZE = 32 * 1024;

	// pump threads need little stack; a small one keeps many connections cheap
	private static final long STACK_SIZE = 256 * 1024;

	private final TcpProxy proxy;

	private final Socket client;

	private final long id;

	private volatile Socket target;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final AtomicInteger finishedDirections = new AtomicInteger();

	ProxyConnection(TcpProxy proxy, Socket client, long id) {
		this.proxy = proxy;
		this.client = client;
		this.id = id;
	}

	void start() {
		startThread("up", this::connectAndForward);
	}

	boolean isClosed() {
		return this.closed.get();
	}

	/**
	 * Closes both sides at once with a TCP reset, as a broken network would.
	 */
	void reset() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		resetQuietly(this.client);
		Socket target = this.target;
		if (target != null) {
			resetQuietly(target);
		}
		this.proxy.remove(this);
		// a pump parked in a blackhole must notice that its connection is gone
		this.proxy.wakeUp();
	}

	static void resetQuietly(Socket socket) {
		try {
			// linger 0 makes close() send RST instead of FIN, and leaves no TIME_WAIT behind
			socket.setSoLinger(true, 0);
		}
		catch (IOException ex) {
			// already closed
		}
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing left to release
		}
	}

	private void connectAndForward() {
		try {
			// during a blackhole the client is held without reaching the target, like a lost SYN-ACK path
			if (!this.proxy.awaitOpen(this)) {
				return;
			}
			Socket connected = this.proxy.connectTarget();
			this.target = connected;
			// reset() may have run before target was set; then it could not close it
			if (isClosed()) {
				resetQuietly(connected);
				return;
			}
			startThread("down", () -> pump(connected, this.client, this.proxy.bytesFromTarget));
			pump(this.client, connected, this.proxy.bytesToTarget);
		}
		catch (IOException | InterruptedException ex) {
			reset();
		}
	}

	private void pump(Socket from, Socket to, AtomicLong counter) {
		byte[] buffer = new byte[BUFFER_SIZE];
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			while (true) {
				int read = in.read(buffer);
				// bytes (and end-of-stream) read during a blackhole are held until restore
				if (!this.proxy.awaitOpen(this)) {
					return;
				}
				if (read < 0) {
					// pass the half-close on; the other direction keeps flowing until it ends too
					to.shutdownOutput();
					break;
				}
				// counted before writing, so whoever sees the bytes arrive also sees them counted
				counter.addAndGet(read);
				out.write(buffer, 0, read);
			}
		}
		catch (IOException | InterruptedException ex) {
			reset();
			return;
		}
		if (this.finishedDirections.incrementAndGet() == 2 && this.closed.compareAndSet(false, true)) {
			closeQuietly(this.client);
			closeQuietly(this.target);
			this.proxy.remove(this);
		}
	}

	private void startThread(String direction, Runnable task) {
		String name = "tcp-proxy-" + this.proxy.name() + "-" + this.id + "-" + direction;
		Thread thread = new Thread(null, task, name, STACK_SIZE);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing left to release
		}
	}

}
