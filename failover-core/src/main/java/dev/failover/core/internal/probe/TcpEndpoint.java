package dev.failover.core.internal.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.failover.core.spi.ProcessProbes.Endpoint;
import dev.failover.core.spi.ProcessProbes.Identity;

/**
 * A process's probe endpoint over TCP: one daemon thread with a selector accepts
 * connections, answers each hello with the identity, and then holds the connection open,
 * idle, until the watcher or this process closes it. It costs a listening socket, a thread
 * and a few hundred bytes per watcher, and no CPU while nothing happens.
 */
final class TcpEndpoint implements Endpoint {

	private static final Logger logger = LoggerFactory.getLogger(TcpEndpoint.class);

	/** More connections than any group has members: beyond it, new ones are closed at once. */
	private static final int MAX_CONNECTIONS = 256;

	private final ServerSocketChannel server;

	private final Selector selector;

	private final Identity self;

	private final ProbeHandshake handshake;

	private final String address;

	private final Thread thread;

	private volatile boolean closed;

	TcpEndpoint(String host, int port, Identity self, ProbeHandshake handshake) {
		this.self = self;
		this.handshake = handshake;
		try {
			this.selector = Selector.open();
			this.server = ServerSocketChannel.open();
			this.server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			this.server.bind(new InetSocketAddress(host, port), 64);
			this.server.configureBlocking(false);
			this.server.register(this.selector, SelectionKey.OP_ACCEPT);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the failover probe endpoint on " + host + ":" + port, ex);
		}
		this.address = host + ":" + this.server.socket().getLocalPort();
		this.thread = new Thread(this::run, "failover-probe-" + self.instanceId());
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public String address() {
		return this.address;
	}

	@Override
	public void close() {
		this.closed = true;
		this.selector.wakeup();
		try {
			this.thread.join(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void run() {
		try {
			while (!this.closed) {
				this.selector.select();
				for (SelectionKey key : this.selector.selectedKeys()) {
					if (!key.isValid()) {
						continue;
					}
					if (key.isAcceptable()) {
						accept();
					}
					else if (key.isReadable()) {
						read(key);
					}
				}
				this.selector.selectedKeys().clear();
			}
		}
		catch (IOException | RuntimeException ex) {
			// the endpoint is dead to its watchers only when it is closed: a failing thread
			// leaves the listening socket open (connections hang, nobody gets evidence)
			logger.warn("Failover probe endpoint of instance '{}' stopped answering: {}", this.self.instanceId(),
					ex.toString());
			return;
		}
		closeAll();
	}

	private void accept() throws IOException {
		SocketChannel channel = this.server.accept();
		if (channel == null) {
			return;
		}
		if (this.selector.keys().size() > MAX_CONNECTIONS) {
			channel.close();
			return;
		}
		channel.configureBlocking(false);
		channel.register(this.selector, SelectionKey.OP_READ, ByteBuffer.allocate(ProbeHandshake.MAX_LINE));
	}

	private void read(SelectionKey key) {
		SocketChannel channel = (SocketChannel) key.channel();
		ByteBuffer buffer = (ByteBuffer) key.attachment();
		try {
			if (buffer == null) {
				// answered: anything more (or the end) ends the connection
				if (channel.read(ByteBuffer.allocate(64)) < 0) {
					close(key);
				}
				return;
			}
			if (channel.read(buffer) < 0 || !buffer.hasRemaining()) {
				close(key);
				return;
			}
			String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
			int end = text.indexOf('\n');
			if (end < 0) {
				return;
			}
			String answer = this.handshake.answer(text.substring(0, end), this.self);
			if (answer == null) {
				close(key);
				return;
			}
			// a line of a few dozen bytes fits any socket buffer: written at once
			channel.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.US_ASCII)));
			key.attach(null);
		}
		catch (IOException ex) {
			close(key);
		}
	}

	private static void close(SelectionKey key) {
		key.cancel();
		try {
			key.channel().close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	private void closeAll() {
		// first the listening socket, then the connections: a watcher that sees its
		// connection end and connects again at once is refused, not accepted by a backlog
		// nobody serves any more
		try {
			this.server.close();
		}
		catch (IOException ex) {
			logger.debug("Closing the failover probe endpoint failed", ex);
		}
		for (SelectionKey key : this.selector.keys()) {
			close(key);
		}
		try {
			this.selector.close();
		}
		catch (IOException ex) {
			logger.debug("Closing the failover probe endpoint failed", ex);
		}
	}

}
