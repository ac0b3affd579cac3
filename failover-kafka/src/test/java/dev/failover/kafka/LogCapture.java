package dev.failover.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures what failover logs at INFO and above, and the Kafka clients at WARN and above
 * (the levels of {@code logback-test.xml}, set again while the capture is open: an
 * application context started earlier in the same JVM may have changed them).
 */
final class LogCapture implements AutoCloseable {

	private static final Map<String, Level> LEVELS = Map.of("dev.failover", Level.INFO, "org.apache.kafka",
			Level.WARN);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Map<String, Level> previous = new HashMap<>();

	LogCapture() {
		this.appender.start();
		LEVELS.forEach((name, level) -> {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			this.previous.put(name, logger.getLevel());
			logger.setLevel(level);
			logger.addAppender(this.appender);
		});
	}

	/**
	 * Returns the events at WARN or above that failover logged, or that a Kafka client of
	 * ours logged: on one of our threads, or naming one of our client ids (the embedded
	 * broker's own complaints are not ours to judge).
	 * @param clientIdPrefix the prefix of our client ids
	 * @return the events, formatted for a readable failure
	 */
	List<String> warnings(String clientIdPrefix) {
		return matching((event) -> event.getLevel().isGreaterOrEqual(Level.WARN)
				&& (event.getLoggerName().startsWith("dev.failover") || isOurs(event, clientIdPrefix)));
	}

	/**
	 * Returns the events that match.
	 * @param filter which events
	 * @return the events, formatted
	 */
	List<String> matching(Predicate<ILoggingEvent> filter) {
		synchronized (this.appender) {
			return List.copyOf(this.appender.list).stream().filter(filter).map(LogCapture::format).toList();
		}
	}

	@Override
	public void close() {
		this.previous.forEach((name, level) -> {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			logger.detachAppender(this.appender);
			logger.setLevel(level);
		});
	}

	private static boolean isOurs(ILoggingEvent event, String clientIdPrefix) {
		String thread = event.getThreadName();
		return thread.startsWith("failover-kafka-") || thread.contains(clientIdPrefix)
				|| event.getFormattedMessage().contains("clientId=" + clientIdPrefix);
	}

	private static String format(ILoggingEvent event) {
		return event.getLevel() + " " + event.getLoggerName() + " [" + event.getThreadName() + "] "
				+ event.getFormattedMessage();
	}

}
