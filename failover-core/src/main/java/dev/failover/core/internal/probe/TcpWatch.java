package dev.failover.core.internal.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

import dev.failover.core.spi.ProcessProbes.Identity;
import dev.failover.core.spi.ProcessProbes.Watch;

/**
 * A watch of another process's probe endpoint over TCP, on a daemon thread of its own: it
 * connects, checks who answers, and then waits for the connection to end. Only the end of a
 * connection that the expected identity answered, followed at once by a refused connection
 * to the same address, is evidence that the process is gone; a connection that times out, a
 * refused first connection, or another identity answering start over after a pause.
 */
final class TcpWatch implements Watch {

	private static final SecureRandom NONCES = new SecureRandom();

	private final String host;

	private final int port;

	private final Identity expected;

	private final ProbeHandshake handshake;

	private final Runnable gone;

	private final int connectTimeoutMillis;

	private final long retryMillis;

	private final Thread thread;

	private final Object lock = new Object();

	private boolean closed;

	private Socket socket;

	/** Whether the expected process answers now (for tests and diagnostics). */
	private volatile boolean answering;

	TcpWatch(String address, Identity expected, ProbeHandshake handshake, Runnable gone, Duration connectTimeout,
			Duration retry) {
		int colon = address.lastIndexOf(':');
		this.host = address.substring(0, colon);
		this.port = Integer.parseInt(address.substring(colon + 1));
		this.expected = expected;
		this.handshake = handshake;
		this.gone = gone;
		this.connectTimeoutMillis = (int) Math.max(1, connectTimeout.toMillis());
		this.retryMillis = Math.max(1, retry.toMillis());
		this.thread = new Thread(this::run, "failover-probe-watch-" + expected.instanceId());
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** Returns whether the expected process answers a connection of this watch now. */
	boolean isAnswering() {
		return this.answering;
	}

	@Override
	public void close() {
		Socket current;
		synchronized (this.lock) {
			this.closed = true;
			current = this.socket;
		}
		closeQuietly(current);
		this.thread.interrupt();
	}

	private void run() {
		// whether the expected process answered a connection that then ended, with nothing
		// since that shows a live process at the address (an answer, a connection that only
		// timed out): then a refused connection is evidence
		boolean ended = false;
		int unanswered = 0;
		while (!isClosed()) {
			Socket connected;
			try {
				connected = connect();
			}
			catch (ConnectException ex) {
				if (ended && isRefusal(ex)) {
					reportGone();
					return;
				}
				ended = false;
				pause();
				continue;
			}
			catch (IOException ex) {
				ended = false;
				pause();
				continue;
			}
			Answer answer = answer(connected);
			if (answer == Answer.EXPECTED) {
				unanswered = 0;
				this.answering = true;
				awaitEnd(connected);
				this.answering = false;
				ended = true;
				continue;
			}
			closeQuietly(connected);
			if (answer == Answer.CLOSED && ended && ++unanswered <= 3) {
				// accepted by a listening socket that is closing with its process (the kernel
				// closes a dying process's sockets one by one): the next try is refused
				continue;
			}
			ended = false;
			unanswered = 0;
			pause();
		}
	}

	/** What a connection answered to the hello. */
	private enum Answer {

		/** The expected process. */
		EXPECTED,

		/** Another process, or an answer that does not verify. */
		OTHER,

		/** Nothing: the connection ended (or was reset) before an answer. */
		CLOSED,

		/** Nothing within the timeout: a paused or overloaded process. */
		SILENT

	}

	private Socket connect() throws IOException {
		Socket connecting = new Socket();
		synchronized (this.lock) {
			if (this.closed) {
				throw new IOException("closed");
			}
			this.socket = connecting;
		}
		try {
			connecting.setTcpNoDelay(true);
			connecting.connect(new InetSocketAddress(this.host, this.port), this.connectTimeoutMillis);
			return connecting;
		}
		catch (IOException ex) {
			closeQuietly(connecting);
			throw ex;
		}
	}

	/** Says hello and reads the answer, within the connect timeout. */
	private Answer answer(Socket connected) {
		try {
			String nonce = HexFormat.of().formatHex(nonce());
			connected.setSoTimeout(this.connectTimeoutMillis);
			connected.getOutputStream()
				.write(this.handshake.hello(this.expected.group(), nonce).getBytes(StandardCharsets.US_ASCII));
			String answer = readLine(connected.getInputStream());
			connected.setSoTimeout(0);
			if (answer == null) {
				return Answer.CLOSED;
			}
			return this.handshake.verify(answer, nonce, this.expected) ? Answer.EXPECTED : Answer.OTHER;
		}
		catch (java.net.SocketTimeoutException ex) {
			return Answer.SILENT;
		}
		catch (IOException ex) {
			return Answer.CLOSED;
		}
	}

	private static byte[] nonce() {
		byte[] bytes = new byte[16];
		NONCES.nextBytes(bytes);
		return bytes;
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		while (line.length() < ProbeHandshake.MAX_LINE) {
			int next = in.read();
			if (next < 0) {
				return null;
			}
			if (next == '\n') {
				return line.toString();
			}
			line.append((char) next);
		}
		return null;
	}

	/** Blocks until the connection ends: the peer closed it, reset it, or this watch was closed. */
	private void awaitEnd(Socket connected) {
		try {
			InputStream in = connected.getInputStream();
			while (in.read() >= 0) {
				// the endpoint sends nothing more; ignore anything it does
			}
		}
		catch (IOException ex) {
			// reset, or closed by close()
		}
		closeQuietly(connected);
	}

	/** A refused connection: the peer's host answered that nothing listens on the port. */
	private static boolean isRefusal(ConnectException ex) {
		String message = ex.getMessage();
		return message != null && message.toLowerCase(java.util.Locale.ROOT).contains("refused");
	}

	private void reportGone() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
		}
		this.gone.run();
	}

	private boolean isClosed() {
		synchronized (this.lock) {
			return this.closed;
		}
	}

	private void pause() {
		try {
			Thread.sleep(this.retryMillis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			synchronized (this.lock) {
				this.closed = true;
			}
		}
	}

	private static void closeQuietly(Socket socket) {
		if (socket != null) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

}
