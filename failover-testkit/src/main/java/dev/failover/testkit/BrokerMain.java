package dev.failover.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command-line entry point that runs one standalone Kafka broker until Ctrl-C, for trying
 * the sample application by hand.
 * <p>
 * Prints {@code bootstrap servers: 127.0.0.1:NNNN} once the broker is up. A temporary data
 * directory is deleted on exit; one given with {@code --data-dir} is kept and reused.
 */
public final class BrokerMain {

	static final String USAGE = """
			usage: kafka-broker.sh [--port N] [--controller-port N] [--data-dir DIR] [--property KEY=VALUE]...
			  --port N               port of the client listener (default: a free port)
			  --controller-port N    port of the KRaft controller listener (default: a free port)
			  --data-dir DIR         data directory, kept on exit (default: a temporary one, deleted)
			  --property KEY=VALUE   extra server.properties entry, e.g. auto.create.topics.enable=true""";

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private static volatile boolean stopping;

	private BrokerMain() {
	}

	/**
	 * Starts the broker and waits until it exits or this JVM is interrupted.
	 * @param args the options described by {@code --help}
	 */
	public static void main(String[] args) {
		KafkaBrokerBuilder builder;
		try {
			builder = parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.println(USAGE);
			System.exit(2);
			return;
		}
		if (builder == null) {
			System.out.println(USAGE);
			return;
		}
		KafkaBroker broker = builder.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stopping = true;
			broker.close();
		}, "kafka-broker-stop"));
		System.out.println("bootstrap servers: " + broker.bootstrapServers());
		System.out.println("data dir: " + broker.dataDir() + " (log: " + broker.logFile() + ")");
		System.out.println("press Ctrl-C to stop");
		JavaProcess process = broker.process();
		while (!process.waitFor(Duration.ofDays(1))) {
			// keep waiting: the broker runs until Ctrl-C
		}
		if (!stopping) {
			System.err.println("Kafka broker exited with code " + process.exitCode().orElse(-1) + "; last lines of "
					+ broker.logFile() + ":\n" + process.logTail(40));
			System.exit(1);
		}
	}

	/**
	 * Turns the options into a broker builder.
	 * @param args the command-line arguments
	 * @return the builder, or {@code null} if help was asked for
	 * @throws IllegalArgumentException naming a bad or unknown option
	 */
	static KafkaBrokerBuilder parse(String[] args) {
		KafkaBrokerBuilder builder = KafkaBroker.builder()
			.stopTimeout(STOP_TIMEOUT)
			// Ctrl-C also reaches the broker; give it the time for a clean shutdown
			.exitGrace(STOP_TIMEOUT);
		Map<String, String> properties = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			String option = args[i];
			switch (option) {
				case "-h", "--help" -> {
					return null;
				}
				case "--port" -> builder.port(parsePort(option, value(args, ++i, option)));
				case "--controller-port" -> builder.controllerPort(parsePort(option, value(args, ++i, option)));
				case "--data-dir" -> builder.dataDir(Path.of(value(args, ++i, option)));
				case "--property" -> {
					String entry = value(args, ++i, option);
					int equals = entry.indexOf('=');
					if (equals < 1) {
						throw new IllegalArgumentException("--property needs KEY=VALUE, was " + entry);
					}
					properties.put(entry.substring(0, equals), entry.substring(equals + 1));
				}
				default -> throw new IllegalArgumentException("unknown option " + option);
			}
		}
		properties.forEach(builder::property);
		return builder;
	}

	private static String value(String[] args, int index, String option) {
		if (index >= args.length) {
			throw new IllegalArgumentException(option + " needs a value");
		}
		return args[index];
	}

	private static int parsePort(String option, String value) {
		try {
			int port = Integer.parseInt(value);
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException(option + " must be 1 to 65535, was " + value);
			}
			return port;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(option + " must be a port number, was " + value, ex);
		}
	}

}
