package dev.failover.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.failover.testkit.TcpProxy.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpProxyTest {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	// long enough for loopback bytes to arrive if they were forwarded, short enough for a fast test
	private static final int QUIET_MILLIS = 300;

	private EchoServer echo;

	private TcpProxy proxy;

	@BeforeEach
	void start() throws IOException {
		this.echo = new EchoServer();
		this.proxy = TcpProxy.builder().name("test").target(FreePorts.HOST, this.echo.port()).start();
	}

	@AfterEach
	void stop() throws IOException {
		this.proxy.close();
		this.echo.close();
	}

	@Test
	void forwardsBothWaysAndCountsBytesAndConnections() throws IOException {
		try (Socket client = connect()) {
			send(client, "hello");
			assertThat(read(client, 5)).isEqualTo("hello");

			assertThat(this.proxy.bytesToTarget()).isEqualTo(5);
			assertThat(this.proxy.bytesFromTarget()).isEqualTo(5);
			assertThat(this.proxy.connectionsAccepted()).isEqualTo(1);
			assertThat(this.proxy.connectionsRejected()).isZero();
			assertThat(this.proxy.activeConnections()).isEqualTo(1);
		}
		Await.until("the closed connection is released", () -> this.proxy.activeConnections() == 0, DEADLINE);
	}

	@Test
	void forwardsLargeTransfersInBothDirectionsAtOnce() throws Exception {
		byte[] payload = new byte[4 * 1024 * 1024];
		new Random(42).nextBytes(payload);
		try (Socket client = connect()) {
			// writing and reading at once: a proxy that forwarded one direction at a time would deadlock here
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
				try {
					client.getOutputStream().write(payload);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			byte[] echoed = client.getInputStream().readNBytes(payload.length);
			writer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
			assertThat(sha256(echoed)).isEqualTo(sha256(payload));
		}
		assertThat(this.proxy.bytesToTarget()).isEqualTo(payload.length);
	}

	@Test
	void passesHalfCloseOnWhileTheWayBackKeepsFlowing() throws IOException {
		try (Socket client = connect()) {
			send(client, "last words");
			client.shutdownOutput();
			// the server writes its trailer only after it has read end-of-stream
			assertThat(readToEnd(client)).isEqualTo("last words" + EchoServer.TRAILER);
		}
		Await.until("the half-closed connection is released", () -> this.proxy.activeConnections() == 0, DEADLINE);
	}

	@Test
	void refuseCutResetsLiveConnectionsAndNewOnesUntilRestored() throws IOException {
		try (Socket live = connect()) {
			send(live, "ping");
			assertThat(read(live, 4)).isEqualTo("ping");

			this.proxy.cut(Mode.REFUSE);

			assertThat(this.proxy.cutMode()).contains(Mode.REFUSE);
			assertClosedByProxy(live);
			assertThat(this.proxy.activeConnections()).isZero();
		}
		assertRefused(this.proxy.port());
		assertThat(this.proxy.connectionsRejected()).isEqualTo(1);

		this.proxy.restore();

		assertThat(this.proxy.cutMode()).isEmpty();
		try (Socket again = connect()) {
			send(again, "back");
			assertThat(read(again, 4)).isEqualTo("back");
		}
	}

	@Test
	void blackholeCutHoldsTrafficOfLiveAndNewConnectionsUntilRestored() throws IOException {
		try (Socket live = connect()) {
			send(live, "ping");
			assertThat(read(live, 4)).isEqualTo("ping");
			int serverConnections = this.echo.connections.get();
			long serverBytes = this.echo.bytesReceived.get();

			this.proxy.cut(Mode.BLACKHOLE);

			send(live, "held");
			try (Socket late = connect()) {
				send(late, "late");
				assertNothingArrives(live);
				assertNothingArrives(late);
				assertThat(this.echo.bytesReceived.get()).isEqualTo(serverBytes);
				assertThat(this.echo.connections.get()).as("connections reaching the target").isEqualTo(serverConnections);
				Await.until("both connections are held", () -> this.proxy.activeConnections() == 2, DEADLINE);

				this.proxy.restore();

				// held bytes are delivered, not lost, as TCP would retransmit them after a hang
				assertThat(read(live, 4)).isEqualTo("held");
				assertThat(read(late, 4)).isEqualTo("late");
			}
		}
	}

	@Test
	void switchingFromBlackholeToRefuseResetsHeldConnections() throws IOException {
		try (Socket live = connect()) {
			this.proxy.cut(Mode.BLACKHOLE);
			send(live, "held");
			assertNothingArrives(live);

			this.proxy.cut(Mode.REFUSE);

			assertClosedByProxy(live);
		}
	}

	@Test
	void resetsConnectionsBeyondTheLimit() throws IOException {
		try (TcpProxy limited = TcpProxy.builder().target(FreePorts.HOST, this.echo.port()).maxConnections(1).start();
				Socket first = connect(limited.port())) {
			assertRefused(limited.port());
			send(first, "ok");
			assertThat(read(first, 2)).isEqualTo("ok");
			assertThat(limited.connectionsRejected()).isEqualTo(1);
		}
	}

	@Test
	void resetsClientsWhenTheTargetIsDown() throws IOException {
		int unused = FreePorts.next();
		try (TcpProxy dangling = TcpProxy.start(unused)) {
			assertRefused(dangling.port());
		}
	}

	@Test
	void closeResetsConnectionsAndStopsListening() throws IOException {
		try (Socket live = connect()) {
			this.proxy.close();
			this.proxy.close();
			assertClosedByProxy(live);
		}
		Await.until("the accept thread has ended", () -> Thread.getAllStackTraces()
			.keySet()
			.stream()
			.noneMatch((thread) -> thread.getName().equals("tcp-proxy-test-accept")), DEADLINE);
		long seen = this.proxy.connectionsAccepted() + this.proxy.connectionsRejected();
		try (Socket late = new Socket()) {
			late.connect(new InetSocketAddress(FreePorts.HOST, this.proxy.port()), 1000);
		}
		catch (IOException expected) {
			// refused: the port is no longer bound
		}
		assertThat(this.proxy.connectionsAccepted() + this.proxy.connectionsRejected()).isEqualTo(seen);
	}

	@Test
	void rejectsBadArgumentsNamingThem() {
		assertThatThrownBy(() -> TcpProxy.builder().target(FreePorts.HOST, 0)).hasMessageContaining("port");
		assertThatThrownBy(() -> TcpProxy.builder().maxConnections(0)).hasMessageContaining("maxConnections");
		assertThatThrownBy(() -> TcpProxy.builder().start()).hasMessageContaining("target");
		assertThatThrownBy(() -> this.proxy.cut(null)).hasMessageContaining("mode");
	}

	private Socket connect() throws IOException {
		return connect(this.proxy.port());
	}

	private static Socket connect(int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(FreePorts.HOST, port), (int) DEADLINE.toMillis());
		socket.setSoTimeout((int) DEADLINE.toMillis());
		return socket;
	}

	private static void send(Socket socket, String text) throws IOException {
		socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
	}

	private static String read(Socket socket, int length) throws IOException {
		byte[] bytes = socket.getInputStream().readNBytes(length);
		return new String(bytes, StandardCharsets.US_ASCII);
	}

	private static String readToEnd(Socket socket) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		socket.getInputStream().transferTo(out);
		return out.toString(StandardCharsets.US_ASCII);
	}

	private static void assertClosedByProxy(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		try {
			assertThat(in.read()).as("end of stream").isEqualTo(-1);
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("connection still open after " + DEADLINE.toMillis() + " ms", ex);
		}
		catch (SocketException ex) {
			// a reset is the expected way for the proxy to drop the connection
			assertThat(ex).hasMessageContaining("reset");
		}
	}

	private static void assertRefused(int port) throws IOException {
		Socket socket;
		try {
			socket = connect(port);
		}
		catch (SocketException ex) {
			// the reset can come so fast that it fails the connect itself
			assertThat(ex).hasMessageContaining("reset");
			return;
		}
		try (socket) {
			assertClosedByProxy(socket);
		}
	}

	private static void assertNothingArrives(Socket socket) throws IOException {
		int timeout = socket.getSoTimeout();
		socket.setSoTimeout(QUIET_MILLIS);
		try {
			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
		}
		finally {
			socket.setSoTimeout(timeout);
		}
	}

	private static byte[] sha256(byte[] bytes) throws Exception {
		return MessageDigest.getInstance("SHA-256").digest(bytes);
	}

}
