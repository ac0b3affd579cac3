package dev.failover.testkit;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The files a KRaft broker is started with: {@code server.properties} for a node acting as
 * broker and controller (alone, or one of a {@link KafkaCluster}'s static voters), and a
 * Logback configuration.
 */
final class BrokerConfig {

	static final String PLAINTEXT = "PLAINTEXT";

	static final String CONTROLLER = "CONTROLLER";

	private final int port;

	private final int controllerPort;

	private final Path logDirs;

	private final List<ExtraListener> listeners;

	private final Map<String, String> overrides;

	private final Membership membership;

	BrokerConfig(int port, int controllerPort, Path logDirs, List<ExtraListener> listeners,
			Map<String, String> overrides) {
		this(port, controllerPort, logDirs, listeners, overrides, Membership.STANDALONE);
	}

	BrokerConfig(int port, int controllerPort, Path logDirs, List<ExtraListener> listeners,
			Map<String, String> overrides, Membership membership) {
		this.membership = membership;
		this.port = port;
		this.controllerPort = controllerPort;
		this.logDirs = logDirs;
		this.listeners = List.copyOf(listeners);
		this.overrides = new LinkedHashMap<>(overrides);
	}

	/**
	 * Renders {@code server.properties}.
	 * @return the file content
	 */
	String serverProperties() {
		String host = FreePorts.HOST;
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("process.roles", "broker,controller");
		properties.put("node.id", String.valueOf(this.membership.nodeId()));
		if (this.membership.isStandalone()) {
			properties.put("controller.quorum.bootstrap.servers", host + ":" + this.controllerPort);
		}
		else {
			properties.put("controller.quorum.voters", this.membership.voters());
		}
		properties.put("controller.listener.names", CONTROLLER);
		properties.put("inter.broker.listener.name", this.membership.interBrokerListener());
		properties.put("listeners", PLAINTEXT + "://" + host + ":" + this.port + "," + CONTROLLER + "://" + host + ":"
				+ this.controllerPort + join((l) -> l.name() + "://" + host + ":" + l.port()));
		// each extra listener advertises its proxy, so clients that bootstrap through the proxy stay behind it
		properties.put("advertised.listeners",
				PLAINTEXT + "://" + host + ":" + this.port + join((l) -> l.name() + "://" + host + ":" + l.advertisedPort()));
		properties.put("listener.security.protocol.map",
				CONTROLLER + ":PLAINTEXT," + PLAINTEXT + ":PLAINTEXT" + join((l) -> l.name() + ":PLAINTEXT"));
		properties.put("log.dirs", this.logDirs.toAbsolutePath().toString());
		// a single node cannot hold more replicas; the defaults (3) would leave internal topics unavailable
		properties.put("offsets.topic.replication.factor", "1");
		properties.put("transaction.state.log.replication.factor", "1");
		properties.put("transaction.state.log.min.isr", "1");
		properties.put("share.coordinator.state.topic.replication.factor", "1");
		properties.put("share.coordinator.state.topic.min.isr", "1");
		// one partition per internal topic: creating the default 50 costs seconds on a test machine
		properties.put("offsets.topic.num.partitions", "1");
		properties.put("transaction.state.log.num.partitions", "1");
		properties.put("share.coordinator.state.topic.num.partitions", "1");
		// tests must not wait 3 s for the first consumer group to form
		properties.put("group.initial.rebalance.delay.ms", "0");
		properties.put("num.partitions", "1");
		// applications must create their topics, as they would against a production cluster
		properties.put("auto.create.topics.enable", "false");
		properties.putAll(this.overrides);
		return properties.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + escape(entry.getValue()))
			.collect(Collectors.joining("\n", "# written by the failover testkit; regenerated on every start\n", "\n"));
	}

	/**
	 * Renders the Logback configuration: INFO and above to standard output, which the parent
	 * redirects to the broker's log file, and nowhere else.
	 * @return the file content
	 */
	static String logbackXml() {
		return """
				<configuration>
				  <!-- standard output is redirected to the broker log file by the process that started it -->
				  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
				    <encoder>
				      <pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern>
				    </encoder>
				  </appender>
				  <root level="INFO">
				    <appender-ref ref="OUT"/>
				  </root>
				</configuration>
				""";
	}

	/**
	 * Where a node stands in its cluster: alone (node 1, its own controller quorum, formatted
	 * with {@code --standalone}), or one of several static voters.
	 *
	 * @param nodeId the node id
	 * @param voters {@code controller.quorum.voters} as this node sees them, or {@code null} alone
	 * @param interBrokerListener the listener this node uses to reach the other brokers
	 */
	record Membership(int nodeId, String voters, String interBrokerListener) {

		static final Membership STANDALONE = new Membership(1, null, PLAINTEXT);

		boolean isStandalone() {
			return this.voters == null;
		}

	}

	private String join(Function<ExtraListener, String> render) {
		return this.listeners.stream().map((listener) -> "," + render.apply(listener)).collect(Collectors.joining());
	}

	private static String escape(String value) {
		// server.properties is read with java.util.Properties, where a backslash escapes
		return value.replace("\\", "\\\\");
	}

}
