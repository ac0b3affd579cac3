package dev.failover.compat;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures what failover and the Kafka clients log at WARN and above while it is open.
 * <p>
 * The embedded broker runs in the same JVM and logs through the same {@code org.apache.kafka}
 * loggers; only events of a client are kept: those whose message carries a client's log
 * context ({@code [Producer clientId=...]}, {@code [Consumer clientId=...]},
 * {@code [AdminClient clientId=...]}), or that were logged on one of failover's threads.
 */
final class KafkaClientLog implements AutoCloseable {

	private static final List<String> LOGGERS = List.of("dev.failover", "org.apache.kafka");

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	KafkaClientLog() {
		this.appender.start();
		for (String name : LOGGERS) {
			((Logger) LoggerFactory.getLogger(name)).addAppender(this.appender);
		}
	}

	/**
	 * Returns the warnings and errors of failover and of Kafka clients captured so far.
	 * @return the events, one readable line each
	 */
	List<String> warnings() {
		List<ILoggingEvent> events;
		synchronized (this.appender) {
			events = List.copyOf(this.appender.list);
		}
		return events.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN))
			.filter(KafkaClientLog::isClientOrFailover)
			.map((event) -> event.getLevel() + " " + event.getLoggerName() + " [" + event.getThreadName() + "] "
					+ event.getFormattedMessage())
			.toList();
	}

	@Override
	public void close() {
		for (String name : LOGGERS) {
			((Logger) LoggerFactory.getLogger(name)).detachAppender(this.appender);
		}
	}

	private static boolean isClientOrFailover(ILoggingEvent event) {
		return event.getLoggerName().startsWith("dev.failover") || event.getThreadName().startsWith("failover-")
				|| event.getFormattedMessage().contains("clientId=");
	}

}
