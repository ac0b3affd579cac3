package dev.failover.testkit;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A broker listener besides {@code PLAINTEXT}: bound on its own port, advertised at another
 * (usually a {@link TcpProxy} in front of it).
 *
 * @param name the listener name, upper case
 * @param port the port the broker binds
 * @param advertisedPort the port the broker tells clients to connect to
 */
record ExtraListener(String name, int port, int advertisedPort) {

	private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

	private static final Set<String> RESERVED = Set.of(BrokerConfig.PLAINTEXT, BrokerConfig.CONTROLLER);

	/**
	 * Checks a listener name: Kafka upper-cases listener names in some places and not in
	 * others, so only upper-case names avoid surprises.
	 * @param name the name to check
	 * @return the name
	 */
	static String requireValidName(String name) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("listener name must match " + NAME + ", was " + name);
		}
		if (RESERVED.contains(name)) {
			throw new IllegalArgumentException("listener name " + name + " is reserved");
		}
		return name;
	}

}
