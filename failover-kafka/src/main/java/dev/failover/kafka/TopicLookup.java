package dev.failover.kafka;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Looks up which incarnation of the failover topic exists (its topic id) and how many
 * partitions it has, without ever creating it, through one admin client (created on first
 * use) that the transport's publisher and subscriptions share.
 * <p>
 * An admin client's metadata requests never ask the broker to create a topic. A producer's
 * always do (kafka-clients has no setting against it), so a broker with
 * {@code auto.create.topics.enable=true} creates a missing topic, with its own defaults, as
 * soon as a producer merely asks about it: the publisher looks here first.
 */
final class TopicLookup implements AutoCloseable {

	/**
	 * One incarnation of the topic: deleting a topic and creating it again gives it a new id.
	 *
	 * @param id the topic id
	 * @param leaders the broker that leads each partition, by partition, or -1 where none does
	 */
	record Incarnation(Uuid id, List<Integer> leaders) {

		Incarnation {
			leaders = List.copyOf(leaders);
		}

		/** The number of partitions. */
		int partitions() {
			return this.leaders.size();
		}

		/** The broker that leads a partition, or -1 if none does or the partition does not exist. */
		int leader(int partition) {
			return (partition >= 0 && partition < this.leaders.size()) ? this.leaders.get(partition) : -1;
		}

	}

	private final KafkaTransportOptions options;

	private final String clientId;

	private Admin admin;

	private boolean closed;

	/** Since when the admin client's calls have failed without a success between, or 0. */
	private long failingSince;

	TopicLookup(KafkaTransportOptions options, String clientId) {
		this.options = options;
		this.clientId = clientId;
	}

	/**
	 * Starts describing the topic.
	 * @param timeout how long the admin client may try
	 * @return the description to come; it fails with {@link UnknownTopicOrPartitionException}
	 * when the topic does not exist
	 */
	KafkaFuture<TopicDescription> describe(Duration timeout) {
		int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
		return admin().describeTopics(List.of(topic()), new DescribeTopicsOptions().timeoutMs(millis))
			.topicNameValues()
			.get(topic());
	}

	/**
	 * Waits for a description.
	 * @param description a description started by {@link #describe(Duration)}
	 * @param timeout how long to wait
	 * @return the incarnation, or {@code null} if the topic does not exist
	 * @throws KafkaException if the broker could not answer in time or refused
	 * @throws InterruptException if the thread was interrupted
	 */
	Incarnation await(KafkaFuture<TopicDescription> description, Duration timeout) {
		try {
			TopicDescription found = description.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			succeeded();
			Integer[] leaders = new Integer[found.partitions().size()];
			Arrays.fill(leaders, -1);
			for (TopicPartitionInfo info : found.partitions()) {
				if (info.partition() >= 0 && info.partition() < leaders.length && info.leader() != null
						&& !info.leader().isEmpty()) {
					leaders[info.partition()] = info.leader().id();
				}
			}
			return new Incarnation(found.topicId(), List.of(leaders));
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
				succeeded();
				return null;
			}
			failed(timeout);
			if (ex.getCause() instanceof KafkaException cause) {
				throw cause;
			}
			throw new KafkaException("Could not describe failover topic '" + topic() + "'", ex.getCause());
		}
		catch (java.util.concurrent.TimeoutException ex) {
			failed(timeout);
			throw new TimeoutException("Failover topic '" + topic() + "' could not be described within "
					+ timeout.toMillis() + " ms");
		}
		catch (InterruptedException ex) {
			throw new InterruptException(ex);
		}
	}

	/**
	 * Describes the topic and waits for the answer.
	 * @param timeout how long to wait
	 * @return the incarnation, or {@code null} if the topic does not exist
	 */
	Incarnation lookup(Duration timeout) {
		return await(describe(timeout), timeout);
	}

	private synchronized void succeeded() {
		this.failingSince = 0;
	}

	/**
	 * Notes a failed call; after failures for three of their timeouts (at least 30 s) in a
	 * row, starts a new admin client for the next call: it looks the bootstrap servers up
	 * again, which an admin client without rebootstrapping never does by itself.
	 */
	private synchronized void failed(Duration timeout) {
		long now = System.nanoTime();
		if (this.failingSince == 0) {
			this.failingSince = now;
			return;
		}
		long patience = Math.max(TimeUnit.SECONDS.toNanos(30), 3 * timeout.toNanos());
		if (now - this.failingSince > patience && this.admin != null) {
			this.admin.close(Duration.ZERO);
			this.admin = null;
			this.failingSince = now;
		}
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.admin != null) {
			this.admin.close(Duration.ofMillis(100));
			this.admin = null;
		}
	}

	private synchronized Admin admin() {
		if (this.closed) {
			throw new IllegalStateException("Kafka transport of failover topic '" + topic() + "' is closed");
		}
		if (this.admin == null) {
			this.admin = Admin.create(TopicSetup.adminConfig(this.options, this.clientId));
		}
		return this.admin;
	}

	private String topic() {
		return this.options.topic();
	}

}
