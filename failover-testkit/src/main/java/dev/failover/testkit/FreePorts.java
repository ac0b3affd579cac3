package dev.failover.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A source of free TCP ports on the loopback interface, for servers that must keep their
 * port across restarts (a broker restarted on the same port).
 * <p>
 * Ports are taken from <em>below</em> the operating system's ephemeral range when there is
 * room: the kernel hands out ephemeral ports to outgoing connections, and while a broker is
 * down one of those could take its port (so the restart fails to bind) or a client
 * reconnecting to it could even be connected to itself. Outside that range neither can
 * happen. A port is found by binding it and closing the socket again, so another process
 * may still take it before the caller binds it; that window is short and accepted for
 * tests. Within this JVM a port is never handed out twice, since brokers and proxies created
 * together pick their ports before any of them binds.
 */
public final class FreePorts {

	/** The loopback address every socket of the testkit binds to. */
	public static final String HOST = "127.0.0.1";

	private static final int LOWEST = 10000;

	// Linux reads its range from procfs; elsewhere (macOS: 49152 and up) this covers it too
	private static final int DEFAULT_EPHEMERAL_LOW = 32768;

	private static final int MAX_ATTEMPTS = 200;

	private static final Set<Integer> handedOut = new HashSet<>();

	private static final int highest = ephemeralLow() - 1;

	private FreePorts() {
	}

	/**
	 * Returns a TCP port on {@value #HOST} that is free now, lies below the ephemeral range
	 * where possible, and was not returned before by this JVM.
	 * @return a free port
	 * @throws UncheckedIOException if the loopback interface cannot be bound
	 * @throws IllegalStateException if no fresh port is found after many attempts
	 */
	public static int next() {
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			// fall back to any port the kernel offers if the low range is tiny or crowded
			boolean low = highest - LOWEST >= 1000 && attempt < MAX_ATTEMPTS / 2;
			int candidate = low ? ThreadLocalRandom.current().nextInt(LOWEST, highest + 1) : 0;
			int port = probe(candidate);
			if (port > 0) {
				synchronized (handedOut) {
					if (handedOut.add(port)) {
						return port;
					}
				}
			}
		}
		throw new IllegalStateException("No fresh free port on " + HOST + " after " + MAX_ATTEMPTS + " attempts");
	}

	private static int probe(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			// SO_REUSEADDR lets the real owner bind the port even if this probe left it in TIME_WAIT
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			if (port != 0) {
				// taken: try another
				return -1;
			}
			throw new UncheckedIOException("Cannot bind a probe socket on " + HOST, ex);
		}
	}

	private static int ephemeralLow() {
		Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
		try {
			if (Files.isReadable(range)) {
				// read line-wise: procfs reports size 0, which whole-file reads may trust
				try (BufferedReader reader = Files.newBufferedReader(range)) {
					return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// unreadable or unexpected: use the conservative default
		}
		return DEFAULT_EPHEMERAL_LOW;
	}

}
