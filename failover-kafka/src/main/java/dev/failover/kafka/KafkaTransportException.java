package dev.failover.kafka;

/**
 * The exception thrown when the Kafka transport cannot set up or check its topic, for
 * instance because no broker could be reached in time. The message names the topic and the bootstrap
 * servers.
 */
public class KafkaTransportException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String topic;

	private final String bootstrapServers;

	/**
	 * Creates an exception.
	 * @param topic the topic
	 * @param bootstrapServers the bootstrap servers the transport tried
	 * @param message the detail message
	 * @param cause the cause, may be {@code null}
	 */
	public KafkaTransportException(String topic, String bootstrapServers, String message, Throwable cause) {
		super(message, cause);
		this.topic = topic;
		this.bootstrapServers = bootstrapServers;
	}

	/**
	 * Returns the topic the transport was setting up.
	 * @return the topic name
	 */
	public String getTopic() {
		return this.topic;
	}

	/**
	 * Returns the bootstrap servers the transport tried.
	 * @return the bootstrap servers, as configured
	 */
	public String getBootstrapServers() {
		return this.bootstrapServers;
	}

}
