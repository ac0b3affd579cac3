package dev.failover.core.internal.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.failover.core.FailoverConfig;
import dev.failover.core.spi.ProcessProbes.Endpoint;
import dev.failover.core.spi.ProcessProbes.Identity;
import dev.failover.core.spi.ProcessProbes.Watch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Process probes over real TCP on 127.0.0.1: what is evidence that a process is gone (an
 * answered connection that ends, then a refused one) and what is not (a refused first
 * connection, another identity, a process that accepts but does not answer, an unsigned
 * answer where a key is required). Negative cases wait a few of the watch's retries.
 */
class TcpProcessProbesTest {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	/** Several retries of the watch (half an interval of 200 ms each). */
	private static final Duration NOTHING_FOR = Duration.ofMillis(1500);

	private static final FailoverConfig CONFIG = FailoverConfig.builder()
		.enabled(true)
		.heartbeatInterval(Duration.ofMillis(200))
		.heartbeatTimeout(Duration.ofSeconds(1))
		.processProbe(true)
		.processProbeHost("127.0.0.1")
		.build();

	private static final Identity A = new Identity("orders", "a", "5e5510a");

	private final TcpProcessProbes probes = new TcpProcessProbes(CONFIG);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void anAnsweredConnectionThatEndsFollowedByARefusalIsEvidence() throws Exception {
		Endpoint endpoint = track(this.probes.open(A));
		assertThat(endpoint.address()).startsWith("127.0.0.1:");
		CountDownLatch gone = new CountDownLatch(1);
		TcpWatch watch = (TcpWatch) track(this.probes.watch(endpoint.address(), A, gone::countDown));
		awaitUntil(watch::isAnswering);
		long closed = System.nanoTime();
		endpoint.close();
		assertThat(gone.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed)).as("evidence after the close, ms")
			.isLessThan(DEADLINE.toMillis());
	}

	@Test
	void aRefusedFirstConnectionIsNoEvidence() throws Exception {
		CountDownLatch gone = new CountDownLatch(1);
		track(this.probes.watch("127.0.0.1:" + closedPort(), A, gone::countDown));
		assertThat(gone.await(NOTHING_FOR.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
	}

	@Test
	void anotherIdentityAnsweringIsNoEvidenceEvenWhenItsEndpointCloses() throws Exception {
		Endpoint other = track(this.probes.open(new Identity("orders", "a", "an-earlier-life")));
		CountDownLatch gone = new CountDownLatch(1);
		TcpWatch watch = (TcpWatch) track(this.probes.watch(other.address(), A, gone::countDown));
		assertThat(gone.await(NOTHING_FOR.toMillis() / 2, TimeUnit.MILLISECONDS)).isFalse();
		assertThat(watch.isAnswering()).isFalse();
		other.close();
		assertThat(gone.await(NOTHING_FOR.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
	}

	@Test
	void aProcessThatAcceptsButDoesNotAnswerIsNoEvidence() throws Exception {
		// a paused process: its kernel still accepts connections, nobody answers them
		try (ServerSocket paused = new ServerSocket()) {
			paused.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
			CountDownLatch gone = new CountDownLatch(1);
			track(this.probes.watch("127.0.0.1:" + paused.getLocalPort(), A, gone::countDown));
			assertThat(gone.await(NOTHING_FOR.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
		}
	}

	@Test
	void aConnectionThatEndsWhileTheEndpointStillAnswersIsNoEvidence() throws Exception {
		Endpoint endpoint = track(this.probes.open(A));
		CountDownLatch gone = new CountDownLatch(1);
		TcpWatch watch = (TcpWatch) track(this.probes.watch(endpoint.address(), A, gone::countDown));
		awaitUntil(watch::isAnswering);
		// a connection dropped in between (a restarted proxy, an idle timeout): the reconnect
		// is answered again by the same process
		try (Socket intruder = new Socket()) {
			intruder.connect(new InetSocketAddress("127.0.0.1", port(endpoint.address())));
		}
		assertThat(gone.await(NOTHING_FOR.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
		assertThat(watch.isAnswering()).isTrue();
	}

	@Test
	void withASigningKeyAnUnsignedAnswerIsNotThePrimarys() throws Exception {
		TcpProcessProbes signing = new TcpProcessProbes(
				CONFIG.toBuilder().signingKey("a-long-enough-shared-secret-of-this-group").build());
		Endpoint unsigned = track(this.probes.open(A));
		CountDownLatch gone = new CountDownLatch(1);
		TcpWatch watch = (TcpWatch) track(signing.watch(unsigned.address(), A, gone::countDown));
		assertThat(gone.await(NOTHING_FOR.toMillis() / 2, TimeUnit.MILLISECONDS)).isFalse();
		assertThat(watch.isAnswering()).isFalse();
		unsigned.close();
		assertThat(gone.await(NOTHING_FOR.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
	}

	@Test
	void withTheSameSigningKeyTheAnswerCounts() throws Exception {
		FailoverConfig signed = CONFIG.toBuilder().signingKey("a-long-enough-shared-secret-of-this-group").build();
		Endpoint endpoint = track(new TcpProcessProbes(signed).open(A));
		CountDownLatch gone = new CountDownLatch(1);
		TcpWatch watch = (TcpWatch) track(new TcpProcessProbes(signed).watch(endpoint.address(), A, gone::countDown));
		awaitUntil(watch::isAnswering);
		endpoint.close();
		assertThat(gone.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
	}

	@Test
	void aClosedWatchReportsNothing() throws Exception {
		Endpoint endpoint = track(this.probes.open(A));
		CountDownLatch gone = new CountDownLatch(1);
		TcpWatch watch = (TcpWatch) this.probes.watch(endpoint.address(), A, gone::countDown);
		awaitUntil(watch::isAnswering);
		watch.close();
		endpoint.close();
		assertThat(gone.await(NOTHING_FOR.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
	}

	@Test
	void anEndpointClosesEveryConnectionAndStopsItsThread() throws Exception {
		Endpoint endpoint = this.probes.open(A);
		try (Socket connection = new Socket("127.0.0.1", port(endpoint.address()))) {
			connection.setSoTimeout((int) DEADLINE.toMillis());
			endpoint.close();
			int read;
			try {
				read = connection.getInputStream().read();
			}
			catch (java.net.SocketException reset) {
				// not yet accepted when the listening socket closed: reset rather than ended
				read = -1;
			}
			assertThat(read).as("the connection ended").isEqualTo(-1);
		}
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
				(thread) -> thread.getName().equals("failover-probe-a") && thread.isAlive());
	}

	private <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

	private static int port(String address) {
		return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return socket.getLocalPort();
		}
	}

	private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited %s", DEADLINE).isLessThan(deadline);
			Thread.sleep(5);
		}
	}

}
