package dev.failover.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of a {@link KafkaTransport}: one producer, created on first use, fed by
 * one named daemon thread so that callers never wait for metadata or a full buffer.
 * <p>
 * Records are handed to the producer in call order on that one thread; with idempotence
 * and at most 5 requests in flight, the broker appends them in that order. A record that
 * waited on the thread longer than the producer's delivery timeout (the broker was
 * unreachable while records piled up) fails without being sent: it is too late to matter,
 * and sending it would only delay the fresh ones behind it.
 * <p>
 * Before it hands a record to the producer, the thread confirms through the
 * {@link TopicLookup} (whose requests never create a topic) that the topic exists, with a
 * lookup sent after the record was queued. A producer's own metadata requests ask the
 * broker to create a missing topic, so a producer must never even ask about a topic that
 * was deleted: while the topic is missing, records fail and no producer exists; when a topic
 * of that name exists again (a new incarnation), a new producer sends to it.
 * <p>
 * A producer whose record expired or was refused for its sequence number (an idempotent
 * producer's state no longer matches the partition leader's: records were sent to a leader
 * that lost the partition, and the new leader never saw them) is replaced by a fresh one,
 * with a new producer id, before the next record: Kafka's producer can otherwise stay stuck
 * in such a state until the old leader comes back, and a member that cannot write cannot
 * confirm its view, so nobody would claim while the partition has a working leader.
 */
final class KafkaPublisher {

	private static final Logger logger = LoggerFactory.getLogger(KafkaPublisher.class);

	private static final long DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;

	private static final int DEFAULT_MAX_BLOCK_MS = 60_000;

	private final String topic;

	private final Map<String, Object> config;

	private final GroupPartitioner partitioner;

	private final TopicLookup lookup;

	private final ThreadPoolExecutor executor;

	private final long maxQueueNanos;

	private final Duration lookupTimeout;

	private volatile Thread thread;

	// confined to the executor's thread
	private Producer<byte[], byte[]> producer;

	private boolean producerClosed;

	/** Set once close begins: records queued before it are flushed without asking the broker again. */
	private volatile boolean closing;

	/** Set while the sending thread waits for a topic lookup, which close may cut short. */
	private volatile boolean inLookup;

	/** The incarnation of the topic the producer sends to. */
	private Uuid topicId;

	/** When the latest lookup that found {@link #topicId} was sent. */
	private long confirmedAt;

	private final AtomicLong lookups = new AtomicLong();

	private boolean topicMissing;

	/** A producer that failed in a way that leaves its sequence state unusable, to replace. */
	private volatile Producer<byte[], byte[]> broken;

	/**
	 * Creates a publisher.
	 * @param topic the topic
	 * @param config the producer configuration, enforced settings applied
	 * @param partitioner names the groups' partition
	 * @param lookup confirms that the topic exists, without creating it
	 * @param threadName the name of the sending thread
	 */
	KafkaPublisher(String topic, Map<String, Object> config, GroupPartitioner partitioner, TopicLookup lookup,
			String threadName) {
		this.topic = topic;
		this.config = config;
		this.partitioner = partitioner;
		this.lookup = lookup;
		this.maxQueueNanos = TimeUnit.MILLISECONDS.toNanos(KafkaClientOverrides
			.parseInt(config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), (int) DEFAULT_DELIVERY_TIMEOUT_MS));
		// the lookup stands in for the producer's wait for metadata, so it gets the same bound
		this.lookupTimeout = Duration.ofMillis(Math.max(1,
				KafkaClientOverrides.parseInt(config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG), DEFAULT_MAX_BLOCK_MS)));
		this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> {
					Thread t = new Thread(runnable, threadName);
					t.setDaemon(true);
					this.thread = t;
					return t;
				});
	}

	/**
	 * Queues a record for the group's partition; never blocks.
	 * @param checkedWithin how long before the record was queued a confirmation of the topic
	 * may have started for the record to rely on it ({@link Duration#ZERO}: only a lookup
	 * started after it was queued)
	 */
	CompletableFuture<Long> publish(String group, String key, byte[] value, Duration checkedWithin) {
		long queuedAt = System.nanoTime();
		Send send = new Send(group, key, value, queuedAt, queuedAt - checkedWithin.toNanos(), new CompletableFuture<>());
		try {
			this.executor.execute(send);
		}
		catch (RejectedExecutionException ex) {
			send.future.completeExceptionally(closed());
		}
		return send.future;
	}

	/**
	 * Sends what is queued, waits for acknowledgements, and closes the producer, all within
	 * the timeout; whatever is left then fails.
	 */
	void close(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		this.closing = true;
		Thread sending = this.thread;
		if (sending != null && this.inLookup) {
			// a lookup that waits for a broker that does not answer would hold the close for
			// the lookup's whole timeout: the record it is for fails instead
			sending.interrupt();
		}
		try {
			this.executor.execute(() -> closeProducer(deadline));
		}
		catch (RejectedExecutionException ex) {
			return;
		}
		this.executor.shutdown();
		boolean terminated = false;
		try {
			terminated = this.executor.awaitTermination(Math.max(0, deadline - System.nanoTime()) + 100_000_000L,
					TimeUnit.NANOSECONDS);
			Thread sender = this.thread;
			if (terminated && sender != null) {
				// a terminated executor's thread may still be on its way out
				sender.join(100);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!terminated) {
			for (Runnable pending : this.executor.shutdownNow()) {
				if (pending instanceof Send send) {
					send.future.completeExceptionally(closed());
				}
			}
			logger.warn("Kafka producer of failover topic '{}' did not close within {} ms", this.topic,
					timeout.toMillis());
		}
	}

	/**
	 * Returns how many lookups of the topic the sending thread made (for tests).
	 */
	long lookups() {
		return this.lookups.get();
	}

	/**
	 * Returns the sending thread, once it exists (for tests).
	 */
	Thread thread() {
		return this.thread;
	}

	private void closeProducer(long deadline) {
		// a record queued in the instant between this task and the executor's shutdown must
		// not bring a new producer to life
		this.producerClosed = true;
		if (this.producer != null) {
			// flushes what was sent; records still unacknowledged at the deadline fail
			this.producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
			this.producer = null;
		}
	}

	private void send(Send send) {
		if (System.nanoTime() - send.queuedAt > this.maxQueueNanos) {
			send.future.completeExceptionally(new TimeoutException("record for group '" + send.group
					+ "' expired after waiting " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - send.queuedAt)
					+ " ms to be sent (Kafka unreachable?)"));
			return;
		}
		if (this.producerClosed) {
			send.future.completeExceptionally(closed());
			return;
		}
		try {
			confirmTopic(send.queuedAt, send.checkedFrom);
			if (this.producer != null && this.producer == this.broken) {
				logger.info("Replacing the Kafka producer of failover topic '{}': a record expired or was refused for "
						+ "its sequence number, so its state no longer matches the partition leader's", this.topic);
				discardProducer();
			}
			if (this.producer == null) {
				this.producer = new KafkaProducer<>(this.config);
			}
			Producer<byte[], byte[]> current = this.producer;
			TopicPartition partition = this.partitioner.partition();
			byte[] key = (send.key != null) ? send.key.getBytes(StandardCharsets.UTF_8) : null;
			ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(this.topic, partition.partition(), key,
					send.value);
			// may block up to max.block.ms while the topic's metadata is unknown
			current.send(record, (metadata, error) -> {
				// runs on the producer's I/O thread: complete, nothing more
				if (error != null) {
					if (needsNewProducer(error)) {
						this.broken = current;
					}
					send.future.completeExceptionally(error);
				}
				else {
					send.future.complete(metadata.offset());
				}
			});
		}
		catch (RuntimeException ex) {
			send.future.completeExceptionally(ex);
		}
	}

	/**
	 * Makes sure the topic existed after the record was queued (or, for a record somebody
	 * waits for, at most a given time before), so that the producer never asks the broker
	 * about a deleted topic (and so recreates it); one lookup covers every record queued
	 * before it was sent.
	 * @param queuedAt when the record was queued
	 * @param checkedFrom the earliest start of a confirmation the record may rely on
	 */
	private void confirmTopic(long queuedAt, long checkedFrom) {
		if (this.producer != null && this.confirmedAt - checkedFrom >= 0) {
			return;
		}
		if (this.closing) {
			confirmWhileClosing();
			return;
		}
		long started = System.nanoTime();
		// the first lookup also connects the admin client: give it the record's whole budget
		Duration timeout = (this.topicId != null) ? this.lookupTimeout
				: Duration.ofNanos(Math.max(this.lookupTimeout.toNanos(), this.maxQueueNanos - (started - queuedAt)));
		TopicLookup.Incarnation found;
		this.inLookup = true;
		this.lookups.incrementAndGet();
		try {
			found = this.lookup.lookup(timeout);
		}
		catch (InterruptException ex) {
			if (!this.closing) {
				throw ex;
			}
			// close interrupted this lookup: the record goes where a record queued during
			// close goes
			confirmWhileClosing();
			return;
		}
		finally {
			this.inLookup = false;
			// an interrupt meant for the lookup must not reach the producer
			Thread.interrupted();
		}
		if (found == null) {
			if (!this.topicMissing) {
				this.topicMissing = true;
				logger.warn("Failover topic '{}' does not exist: no record is sent until it does (a producer would "
						+ "ask the broker about it, and a broker with auto.create.topics.enable=true would create it "
						+ "with its own defaults)", this.topic);
			}
			discardProducer();
			throw new UnknownTopicOrPartitionException("Failover topic '" + this.topic + "' does not exist; "
					+ "the record was not sent");
		}
		this.partitioner.check(found.partitions());
		if (this.topicMissing) {
			this.topicMissing = false;
			logger.info("Failover topic '{}' exists again: sending resumes", this.topic);
		}
		if (!found.id().equals(this.topicId)) {
			// a producer knows the old incarnation (its metadata, its sequence numbers): start afresh
			discardProducer();
			this.topicId = found.id();
		}
		this.confirmedAt = started;
	}

	/**
	 * Closing: what was queued goes to the incarnation confirmed last, if any, without waiting
	 * for another answer (a broker that cannot be reached would hold the close).
	 */
	private void confirmWhileClosing() {
		if (this.producer == null || this.topicId == null) {
			throw closed();
		}
	}

	/**
	 * Returns whether a send error leaves the producer's idempotence state unusable: the
	 * record expired without an answer (its sequence number is unresolved), or the leader
	 * refused the producer's sequence or id.
	 */
	static boolean needsNewProducer(Exception error) {
		return error instanceof org.apache.kafka.common.errors.TimeoutException
				|| error instanceof org.apache.kafka.common.errors.OutOfOrderSequenceException
				|| error instanceof org.apache.kafka.common.errors.UnknownProducerIdException
				|| error instanceof org.apache.kafka.common.errors.InvalidProducerEpochException
				|| error instanceof org.apache.kafka.common.errors.ProducerFencedException;
	}

	private void discardProducer() {
		if (this.producer != null) {
			// at once: records still in flight belong to a topic that is gone
			this.producer.close(Duration.ZERO);
			this.producer = null;
		}
	}

	private IllegalStateException closed() {
		return new IllegalStateException("Kafka transport of failover topic '" + this.topic + "' is closed");
	}

	/** A record waiting for the sending thread. */
	private final class Send implements Runnable {

		final String group;

		final String key;

		final byte[] value;

		final long queuedAt;

		final long checkedFrom;

		final CompletableFuture<Long> future;

		Send(String group, String key, byte[] value, long queuedAt, long checkedFrom, CompletableFuture<Long> future) {
			this.group = group;
			this.key = key;
			this.value = value;
			this.queuedAt = queuedAt;
			this.checkedFrom = checkedFrom;
			this.future = future;
		}

		@Override
		public void run() {
			send(this);
		}

	}

}
