package dev.failover.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.failover.core.spi.LogListener;
import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;

/**
 * A read of one group's log: one consumer, assigned the group's partition, polled by one
 * named daemon thread that delivers the group's records in order and confirms progress.
 * <p>
 * Progress is confirmed with the broker: at most once per progress interval the thread
 * asks the partition leader for the end offset (the high watermark, below which every
 * acknowledged record lies) and reports it only once everything before it has been
 * delivered. It asks through a second consumer, assigned the partition but never polled,
 * on a connection of its own: a broker answers one request per connection at a time, so on
 * the reading consumer's connection the question would wait behind the fetch parked there
 * (up to {@code fetch.max.wait.ms}), and a record arriving meanwhile would wait for the
 * answer. While the leader cannot be reached that question fails, so no progress is
 * reported, which is how a watcher learns that it is cut off. Errors go to the listener and
 * the thread keeps trying until the subscription is closed.
 * <p>
 * Offsets only grow within one incarnation of the topic, and the thread checks that it
 * still reads the same one: with each end-offset question it also asks (through the
 * {@link TopicLookup}) for the topic's id, and the consumers never reset a position on
 * their own ({@code auto.offset.reset=none}). A topic deleted and created again (a new id),
 * an end offset below what was already read, or a position the log no longer has
 * (truncation, or records deleted before they were read) is a new log: the listener hears
 * {@link LogListener#onLogReplaced(String)} once, then the new log from its beginning, then
 * progress as usual. So does a read from the beginning of a topic that this transport
 * created. A topic that does not exist is an error, reported on every attempt.
 */
final class KafkaSubscription implements Subscription {

	private static final Logger logger = LoggerFactory.getLogger(KafkaSubscription.class);

	/** kafka-clients' default {@code request.timeout.ms} for consumers. */
	private static final int DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

	private final String group;

	private final long fromOffset;

	private final long progressNanos;

	private final Duration offsetsTimeout;

	private final Duration retryBackoff;

	private final Duration joinTimeout;

	/** How long the consumer may fetch from another leader than the one the broker names. */
	private final long staleLeaderNanos;

	private final LogListener listener;

	private final Map<String, Object> config;

	private final GroupPartitioner partitioner;

	private final TopicLookup lookup;

	private final Supplier<Uuid> createdTopicId;

	private final Runnable beforeFirstRead;

	private final java.util.function.Consumer<KafkaSubscription> onClosed;

	private final Thread thread;

	private final CountDownLatch closing = new CountDownLatch(1);

	private volatile boolean closed;

	private volatile Consumer<byte[], byte[]> consumer;

	/** Asks for end offsets and partition metadata, on a connection without parked fetches. */
	private volatile Consumer<byte[], byte[]> asker;

	// confined to the thread: the last record read, to check after a change of leader

	private long lastOffset = -1;

	private int lastEpoch = -1;

	private long lastDigest;

	// confined to the thread

	private TopicPartition partition;

	private long nextQueryAt;

	private long target = -1;

	private long targetQueriedAt;

	/** The incarnation of the topic being read. */
	private Uuid topicId;

	/** Whether anything of this incarnation was read (a record, or progress) since the last seek. */
	private boolean readSome;

	/** Since when the consumer's cached partition leader has not been the one the broker names (nanos), or 0. */
	private long staleLeaderSince;

	/** Set when the consumers must be replaced by new ones (their metadata is stuck on a leader that hangs). */
	private boolean renewConsumers;

	/** The address of the broker that did not answer, left out of new consumers' bootstrap servers. */
	private String avoid;

	KafkaSubscription(String group, long fromOffset, Duration progressInterval, LogListener listener,
			Map<String, Object> config, GroupPartitioner partitioner, TopicLookup lookup, Supplier<Uuid> createdTopicId,
			Duration joinTimeout, String threadName, Runnable beforeFirstRead,
			java.util.function.Consumer<KafkaSubscription> onClosed) {
		this.group = group;
		this.fromOffset = fromOffset;
		this.progressNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), progressInterval.toNanos());
		// an answer slower than two progress intervals (the watcher's freshness window) is too
		// late to keep its view fresh anyway, but a slow broker still deserves a second
		this.offsetsTimeout = Duration.ofNanos(Math.max(TimeUnit.SECONDS.toNanos(1), 2 * this.progressNanos));
		// after a read error, try again soon: a fifth of an interval, within 100 ms and 1 s
		long backoff = Math.max(TimeUnit.MILLISECONDS.toNanos(100), this.progressNanos / 5);
		this.retryBackoff = Duration.ofNanos(Math.min(TimeUnit.SECONDS.toNanos(1), backoff));
		this.joinTimeout = joinTimeout;
		this.staleLeaderNanos = TimeUnit.MILLISECONDS.toNanos(KafkaClientOverrides
			.parseInt(config.get(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG), DEFAULT_REQUEST_TIMEOUT_MS));
		this.listener = listener;
		this.config = config;
		this.partitioner = partitioner;
		this.lookup = lookup;
		this.createdTopicId = createdTopicId;
		this.beforeFirstRead = beforeFirstRead;
		this.onClosed = onClosed;
		this.thread = new Thread(this::run, threadName);
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	Thread thread() {
		return this.thread;
	}

	/**
	 * Stops the read: wakes the consumer out of any blocking call and waits (bounded) for
	 * the thread to close it.
	 */
	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			this.closing.countDown();
			wakeUp(this.consumer);
			wakeUp(this.asker);
			// a wait on the admin client (the topic's set-up or lookup) is no consumer call:
			// an interrupt ends it, and the loop treats an interrupt as close()
			if (Thread.currentThread() != this.thread) {
				this.thread.interrupt();
			}
		}
		if (Thread.currentThread() != this.thread && this.thread.isAlive()) {
			try {
				this.thread.join(this.joinTimeout.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (this.thread.isAlive()) {
				logger.warn("Reader of failover group '{}' did not stop within {} ms", this.group,
						this.joinTimeout.toMillis());
			}
		}
	}

	private static void wakeUp(Consumer<?, ?> consumer) {
		if (consumer != null) {
			consumer.wakeup();
		}
	}

	private void run() {
		Consumer<byte[], byte[]> created;
		Consumer<byte[], byte[]> asking;
		try {
			created = new KafkaConsumer<>(this.config);
			try {
				asking = newAsker(this.config);
			}
			catch (RuntimeException ex) {
				closeQuietly(created);
				throw ex;
			}
		}
		catch (RuntimeException ex) {
			logger.error("Cannot create the Kafka consumers for failover group '{}'", this.group, ex);
			reportError(ex);
			this.onClosed.accept(this);
			return;
		}
		// published before checking the flag, so close() either sees them or is seen
		this.asker = asking;
		this.consumer = created;
		try {
			while (!this.closed) {
				try {
					step(created);
				}
				catch (WakeupException ex) {
					// close() woke us up; the loop condition decides
				}
				catch (InterruptException ex) {
					// only an owner shutting threads down interrupts us: treat it as close()
					this.closed = true;
				}
				catch (RecordDeserializationException ex) {
					// cannot happen with byte arrays, but never get stuck on one record
					created.seek(ex.topicPartition(), ex.offset() + 1);
					reportError(ex);
				}
				catch (RuntimeException ex) {
					reportError(ex);
					pause();
				}
				if (this.renewConsumers && !this.closed) {
					this.renewConsumers = false;
					closeQuietly(created);
					closeQuietly(asking);
					Map<String, Object> renewed = renewedConfig();
					created = new KafkaConsumer<>(renewed);
					asking = newAsker(renewed);
					this.asker = asking;
					this.consumer = created;
					resume(created);
				}
			}
		}
		finally {
			closeQuietly(created);
			closeQuietly(asking);
			this.onClosed.accept(this);
		}
	}

	private Consumer<byte[], byte[]> newAsker(Map<String, Object> config) {
		Map<String, Object> askerConfig = new LinkedHashMap<>(config);
		askerConfig.put(CommonClientConfigs.CLIENT_ID_CONFIG,
				config.get(CommonClientConfigs.CLIENT_ID_CONFIG) + "-offsets");
		return new KafkaConsumer<>(askerConfig);
	}

	/** Assigns new consumers the partition read and places the reader after the last record read. */
	private void resume(Consumer<byte[], byte[]> consumer) {
		if (this.partition == null) {
			return;
		}
		place(consumer, this.partition, (this.lastOffset >= 0) ? this.lastOffset + 1 : this.fromOffset);
		this.target = -1;
		this.nextQueryAt = System.nanoTime();
	}

	/**
	 * Assigns both consumers the partition and places the reader at an offset, or at the
	 * beginning for 0 or less (an offset beyond the log reads from the earliest: see
	 * positionLost).
	 */
	private void place(Consumer<byte[], byte[]> consumer, TopicPartition partition, long offset) {
		consumer.assign(List.of(partition));
		// assigned (never polled) so that its end-offset answers update a partition it holds:
		// kafka-clients warns about every answer for a partition that is not assigned
		this.asker.assign(List.of(partition));
		if (offset > 0) {
			consumer.seek(partition, offset);
		}
		else {
			consumer.seekToBeginning(List.of(partition));
		}
	}

	/**
	 * Compares the partition leader the broker names (through the admin client, which reaches
	 * any live broker) with the one the consumers fetch from. A consumer asks for metadata
	 * through the broker it is connected to, and only when a fetch fails or its metadata
	 * ages; a leader that hangs (paused, its host stalled) accepts connections and answers
	 * nothing, so the consumer keeps reconnecting to it and never learns that the controller
	 * moved the partition (seen in the fault suite's {@code 3b-pause-leader-long}: nobody
	 * could claim until the old leader woke up). Checks that disagree for a request timeout
	 * (when the consumer has given up on a request to the old leader at least once) replace
	 * the consumers; a leader change they follow by themselves takes milliseconds.
	 */
	private void checkLeader(Consumer<byte[], byte[]> consumer, TopicLookup.Incarnation found, boolean unanswered) {
		int named = found.leader(this.partition.partition());
		Node fetchedFrom = cachedLeader(consumer);
		if (named < 0 || fetchedFrom == null || named == fetchedFrom.id()) {
			this.staleLeaderSince = 0;
			return;
		}
		long now = System.nanoTime();
		if (this.staleLeaderSince == 0) {
			this.staleLeaderSince = now;
		}
		// a question for the end offset that got no answer in time shows that the old leader
		// does not answer; otherwise wait a request timeout, which a live leader answers in
		if (!unanswered && now - this.staleLeaderSince < this.staleLeaderNanos) {
			return;
		}
		this.staleLeaderSince = 0;
		this.renewConsumers = true;
		this.avoid = fetchedFrom.host() + ":" + fetchedFrom.port();
		logger.info("Reader of failover group '{}': broker {} leads {}, but the consumers still fetch from broker {}, "
				+ "which does not answer; starting new consumers", this.group, named, this.partition, fetchedFrom.id());
	}

	/** The leader of the partition read in the consumer's metadata (no request is sent), or {@code null}. */
	private Node cachedLeader(Consumer<byte[], byte[]> consumer) {
		try {
			for (PartitionInfo info : consumer.partitionsFor(this.partition.topic(), Duration.ZERO)) {
				if (info.partition() == this.partition.partition()) {
					return (info.leader() != null && !info.leader().isEmpty()) ? info.leader() : null;
				}
			}
		}
		catch (RuntimeException ex) {
			// nothing cached and no time to ask: nothing to compare
		}
		return null;
	}

	/**
	 * The consumer settings for new consumers: without the address of the broker that does
	 * not answer among the bootstrap servers, when it is one of them and others remain (a new
	 * consumer asks a bootstrap server chosen at random for the cluster's metadata, and one
	 * that hangs costs a request timeout).
	 */
	private Map<String, Object> renewedConfig() {
		Map<String, Object> renewed = new LinkedHashMap<>(this.config);
		Object servers = this.config.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		List<String> list = (servers instanceof List<?> given) ? given.stream().map(String::valueOf).toList()
				: (servers != null) ? List.of(String.valueOf(servers).split(",")) : List.of();
		List<String> kept = list.stream().map(String::strip).filter((server) -> !server.equals(this.avoid)).toList();
		if (!kept.isEmpty() && kept.size() < list.size()) {
			renewed.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kept));
		}
		return renewed;
	}

	// close(Duration), deprecated since Kafka 4.1, rather than close(CloseOptions): kafka-clients
	// 3.9 (Spring Boot 3.5's) has no CloseOptions, and without a consumer group both do the same
	@SuppressWarnings("deprecation")
	private void closeQuietly(Consumer<byte[], byte[]> consumer) {
		try {
			consumer.close(Duration.ZERO);
		}
		catch (RuntimeException ex) {
			logger.debug("Closing a consumer of failover group '{}' failed", this.group, ex);
		}
	}

	private void step(Consumer<byte[], byte[]> consumer) {
		try {
			read(consumer);
		}
		catch (InvalidOffsetException ex) {
			// auto.offset.reset=none: the consumer tells us instead of jumping elsewhere
			positionLost(consumer, ex);
		}
	}

	private void read(Consumer<byte[], byte[]> consumer) {
		if (this.partition == null) {
			this.beforeFirstRead.run();
			assign(consumer);
			// report the first progress without waiting a whole poll
			confirmProgress(consumer);
		}
		long now = System.nanoTime();
		long wait = (this.target >= 0) ? this.progressNanos : this.nextQueryAt - now;
		Duration pollTimeout = Duration
			.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(wait, this.progressNanos)));
		for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout)) {
			if (this.closed) {
				return;
			}
			int epoch = record.leaderEpoch().orElse(-1);
			if (this.lastEpoch >= 0 && epoch > this.lastEpoch) {
				// a new partition leader since the last record read: an unclean election may
				// have truncated what was read while the log grew past it again, which no
				// offset shows; check that the last record read is still there, as read
				Boolean intact = lastRecordIntact(consumer);
				if (Boolean.FALSE.equals(intact)) {
					replaced(consumer, "the record at offset " + this.lastOffset + " read under leader epoch "
							+ this.lastEpoch + " is gone or changed under leader epoch " + epoch
							+ " (an unclean leader election truncated the log)", this.topicId, true);
					return;
				}
				// read on from after the last record delivered: this one comes again
				consumer.seek(this.partition, this.lastOffset + 1);
				if (intact != null) {
					this.lastEpoch = epoch;
				}
				return;
			}
			this.readSome = true;
			this.lastOffset = record.offset();
			this.lastEpoch = epoch;
			this.lastDigest = digest(record);
			deliver(record);
		}
		confirmProgress(consumer);
	}

	/**
	 * Reads the last record delivered again: {@code true} if it is there as it was read,
	 * {@code false} if it is gone or changed, {@code null} if the broker gave no answer in
	 * time (asked again on the next read).
	 */
	private Boolean lastRecordIntact(Consumer<byte[], byte[]> consumer) {
		consumer.seek(this.partition, this.lastOffset);
		long deadline = System.nanoTime() + this.offsetsTimeout.toNanos();
		while (!this.closed && System.nanoTime() - deadline < 0) {
			for (ConsumerRecord<byte[], byte[]> again : consumer.poll(Duration.ofMillis(50))) {
				if (again.offset() < this.lastOffset) {
					continue;
				}
				return again.offset() == this.lastOffset && again.leaderEpoch().orElse(-1) == this.lastEpoch
						&& digest(again) == this.lastDigest;
			}
		}
		return null;
	}

	private static long digest(ConsumerRecord<byte[], byte[]> record) {
		java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
		if (record.key() != null) {
			crc.update(record.key());
		}
		crc.update(0);
		if (record.value() != null) {
			crc.update(record.value());
		}
		return crc.getValue();
	}

	private void assign(Consumer<byte[], byte[]> consumer) {
		TopicLookup.Incarnation found = this.lookup.lookup(this.offsetsTimeout);
		if (found == null) {
			throw missing();
		}
		this.partitioner.check(found.partitions());
		TopicPartition assigned = this.partitioner.partition();
		place(consumer, assigned, this.fromOffset);
		this.partition = assigned;
		this.topicId = found.id();
		this.nextQueryAt = System.nanoTime();
		logger.debug("Reading failover group '{}' from {} (topic id {}) at offset {}", this.group, assigned,
				found.id(), Math.max(0, this.fromOffset));
		if (this.fromOffset <= 0 && found.id().equals(this.createdTopicId.get())) {
			// a topic created just now proves nothing about one deleted a moment ago (a read
			// from a later offset knows this log already)
			replaced(consumer, "created the topic", found.id(), false);
		}
	}

	private void deliver(ConsumerRecord<byte[], byte[]> record) {
		// lenient: malformed UTF-8 becomes U+FFFD, so a garbage key is just a foreign key
		String key = (record.key() != null) ? new String(record.key(), StandardCharsets.UTF_8) : null;
		if (!Transport.isGroupRecord(this.group, key)) {
			return;
		}
		try {
			this.listener.onRecord(record.offset(), key, record.value());
		}
		catch (RuntimeException ex) {
			logger.warn("Listener of failover group '{}' failed on the record at offset {}", this.group,
					record.offset(), ex);
		}
	}

	/**
	 * Asks the broker for the end offset and which topic holds the partition at most once per
	 * progress interval, and reports the end once everything before it has been delivered.
	 * An answer not caught up with within an interval is asked again rather than reported
	 * late as fresh. A topic of another id, or an end below what was read, is a new log.
	 */
	private void confirmProgress(Consumer<byte[], byte[]> consumer) {
		long now = System.nanoTime();
		if (now - this.nextQueryAt >= 0) {
			this.nextQueryAt = now + this.progressNanos;
			this.target = -1;
			// both questions at once, on connections of their own
			KafkaFuture<TopicDescription> described = this.lookup.describe(this.offsetsTimeout);
			Long end;
			try {
				end = this.asker.endOffsets(Set.of(this.partition), this.offsetsTimeout).get(this.partition);
			}
			catch (org.apache.kafka.common.errors.TimeoutException ex) {
				// a deleted or replaced topic also makes the question time out: say which
				TopicLookup.Incarnation found = this.lookup.await(described, this.offsetsTimeout);
				if (checkIncarnation(consumer, found)) {
					// and so does a leader that hangs while the consumers still think it leads
					checkLeader(consumer, found, true);
					throw ex;
				}
				return;
			}
			TopicLookup.Incarnation found = this.lookup.await(described, this.offsetsTimeout);
			if (!checkIncarnation(consumer, found)) {
				return;
			}
			checkLeader(consumer, found, false);
			if (end != null) {
				long position = consumer.position(this.partition, this.offsetsTimeout);
				if (end < position) {
					if (!this.readSome) {
						// nothing read yet: a start offset beyond the end reads from the earliest
						seekToBeginning(consumer);
						return;
					}
					replaced(consumer, "the log ends at offset " + end + ", below offset " + position
							+ " already read: it was truncated", this.topicId, true);
					return;
				}
				this.target = end;
				// every record at or after the end was appended after the query was sent
				this.targetQueriedAt = now;
			}
		}
		if (this.target < 0 || this.closed) {
			return;
		}
		long position = consumer.position(this.partition, this.offsetsTimeout);
		if (position >= this.target) {
			this.target = -1;
			this.readSome = true;
			try {
				this.listener.onProgress(position, this.targetQueriedAt);
			}
			catch (RuntimeException ex) {
				logger.warn("Listener of failover group '{}' failed on progress", this.group, ex);
			}
		}
	}

	/**
	 * Checks that the topic still exists, with the partition, as the incarnation read so far.
	 * @return {@code true} if so; {@code false} if it is a new incarnation (now read from its
	 * beginning)
	 */
	private boolean checkIncarnation(Consumer<byte[], byte[]> consumer, TopicLookup.Incarnation found) {
		if (found == null) {
			throw missing();
		}
		this.partitioner.check(found.partitions());
		if (!found.id().equals(this.topicId)) {
			replaced(consumer, recreated(found), found.id(), true);
			return false;
		}
		return true;
	}

	/**
	 * Handles a position the log no longer has: with nothing read yet, a start offset out of
	 * range (read from the earliest); otherwise a new log.
	 */
	private void positionLost(Consumer<byte[], byte[]> consumer, InvalidOffsetException ex) {
		if (this.partition == null) {
			throw ex;
		}
		if (!this.readSome) {
			seekToBeginning(consumer);
			return;
		}
		TopicLookup.Incarnation found = this.lookup.lookup(this.offsetsTimeout);
		if (found == null) {
			throw missing();
		}
		String reason;
		if (!found.id().equals(this.topicId)) {
			reason = recreated(found);
		}
		else if (ex instanceof LogTruncationException truncation) {
			reason = "the log was truncated below offset " + truncation.offsetOutOfRangePartitions().get(this.partition)
					+ " already read (its leader was elected without a clean replica?)";
		}
		else if (ex instanceof OffsetOutOfRangeException outOfRange) {
			reason = "offset " + outOfRange.offsetOutOfRangePartitions().get(this.partition) + " already reached "
					+ "is out of the log's range: it was truncated, or records not yet read were deleted";
		}
		else {
			reason = "the position in the log was lost (" + ex.getMessage() + ")";
		}
		replaced(consumer, reason, found.id(), true);
	}

	/**
	 * Starts reading a new log from its beginning, and tells the listener first.
	 */
	private void replaced(Consumer<byte[], byte[]> consumer, String reason, Uuid newTopicId, boolean warn) {
		if (warn) {
			logger.warn("Failover topic '{}' of group '{}': {}. Reading the new log from its beginning; the watcher "
					+ "rebuilds its view of the group and fails closed", this.partition.topic(), this.group, reason);
		}
		else {
			logger.info("Failover topic '{}' of group '{}': {}; the watcher treats it as a new log",
					this.partition.topic(), this.group, reason);
		}
		this.topicId = newTopicId;
		seekToBeginning(consumer);
		try {
			this.listener.onLogReplaced(reason);
		}
		catch (RuntimeException ex) {
			logger.warn("Listener of failover group '{}' failed on a replaced log", this.group, ex);
		}
	}

	private void seekToBeginning(Consumer<byte[], byte[]> consumer) {
		consumer.seekToBeginning(List.of(this.partition));
		this.readSome = false;
		this.lastOffset = -1;
		this.lastEpoch = -1;
		this.target = -1;
		this.nextQueryAt = System.nanoTime();
	}

	private String recreated(TopicLookup.Incarnation found) {
		return "the topic was deleted and created again (its id was " + this.topicId + ", is now " + found.id() + ")";
	}

	private UnknownTopicOrPartitionException missing() {
		return new UnknownTopicOrPartitionException("Failover topic '" + this.partitioner.partition().topic()
				+ "' does not exist (create it, or let the transport create it with ensureTopic())");
	}

	private void reportError(Throwable error) {
		if (this.closed) {
			return;
		}
		logger.debug("Reading failover group '{}' failed: {}", this.group, error.toString());
		try {
			this.listener.onError(error);
		}
		catch (RuntimeException ex) {
			logger.warn("Listener of failover group '{}' failed on an error", this.group, ex);
		}
	}

	private void pause() {
		try {
			this.closing.await(this.retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.closed = true;
		}
	}

}
