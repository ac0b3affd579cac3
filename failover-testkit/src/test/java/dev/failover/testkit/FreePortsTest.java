package dev.failover.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {

	@Test
	void handsOutDistinctBindablePortsBelowTheEphemeralRange() throws IOException {
		Set<Integer> ports = new HashSet<>();
		for (int i = 0; i < 50; i++) {
			int port = FreePorts.next();
			assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
			assertThat(port).isBetween(10000, 32767);
			try (ServerSocket socket = new ServerSocket()) {
				socket.bind(new InetSocketAddress(FreePorts.HOST, port));
			}
		}
	}

}
