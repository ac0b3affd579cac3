package dev.failover.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample's ledger ({@code sample.ledger.*}).
 */
@ConfigurationProperties("sample.ledger")
public class LedgerProperties {

	/**
	 * Whether the primary appends to the ledger (off to measure failover alone).
	 */
	private boolean enabled = true;

	/**
	 * Topic the primary appends its records to.
	 */
	private String topic = "failover-sample-ledger";

	/**
	 * How often the primary appends a record.
	 */
	private Duration interval = Duration.ofMillis(200);

	/**
	 * Replication factor of the ledger topic when it is created (3 in production).
	 */
	private short replicas = 1;

	/**
	 * How many of the latest ledger records the status page shows.
	 */
	private int tail = 10;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getTopic() {
		return this.topic;
	}

	public void setTopic(String topic) {
		this.topic = topic;
	}

	public Duration getInterval() {
		return this.interval;
	}

	public void setInterval(Duration interval) {
		this.interval = interval;
	}

	public short getReplicas() {
		return this.replicas;
	}

	public void setReplicas(short replicas) {
		this.replicas = replicas;
	}

	public int getTail() {
		return this.tail;
	}

	public void setTail(int tail) {
		this.tail = tail;
	}

}
