package dev.failover.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test server that echoes every byte it reads and, once the client has half-closed,
 * writes {@value #TRAILER} and closes: the trailer proves that the end-of-stream got through
 * while the way back still worked.
 */
final class EchoServer implements AutoCloseable {

	static final String TRAILER = "<eof-seen>";

	private final ServerSocket serverSocket;

	final AtomicLong bytesReceived = new AtomicLong();

	final AtomicInteger connections = new AtomicInteger();

	EchoServer() throws IOException {
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getByName(FreePorts.HOST));
		Thread acceptor = new Thread(this::acceptLoop, "echo-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.serverSocket.getLocalPort();
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
	}

	private void acceptLoop() {
		while (true) {
			try {
				Socket socket = this.serverSocket.accept();
				this.connections.incrementAndGet();
				Thread handler = new Thread(() -> echo(socket), "echo-" + this.connections.get());
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void echo(Socket socket) {
		try (socket) {
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			byte[] buffer = new byte[8192];
			int read;
			while ((read = in.read(buffer)) >= 0) {
				this.bytesReceived.addAndGet(read);
				out.write(buffer, 0, read);
			}
			out.write(TRAILER.getBytes(StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			// the client or the proxy reset the connection: nothing to do
		}
	}

}
