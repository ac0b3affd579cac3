package dev.failover.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigException;

import dev.failover.core.spi.LogListener;
import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;

/**
 * A {@link Transport} over one Kafka topic, written with the plain Kafka clients.
 * <p>
 * All records of every group go to one partition of the topic, whatever the record's own
 * key: partition 0, or the one {@link KafkaTransportOptions#partition()} names. So every
 * reader of a group sees one ordered log, and the partition never depends on the topic's
 * partition count: adding partitions to a live topic moves nothing (it is logged once at
 * INFO). Records are sent with {@code acks=all}
 * and idempotence by one producer, fed by one daemon thread
 * ({@code failover-kafka-producer-N}) so that {@link #publish} never blocks. Each
 * {@link #subscribe subscription} has its own consumer and daemon thread
 * ({@code failover-kafka-consumer-N-group}), assigned the group's partition without a
 * consumer group, and reports progress only after confirming the end offset with the
 * partition leader (through a second consumer, on a connection of its own).
 * <p>
 * {@link #ensureTopic()} creates the topic if it is missing (compacted, replicated) and
 * warns when an existing one is weaker than production-safe. Nothing else ever creates it:
 * the consumers do not ask for automatic creation, and since a producer always does (a
 * broker with {@code auto.create.topics.enable=true} would create the topic with its own
 * defaults), records are only handed to the producer after an admin lookup found the topic;
 * while it is missing, publishing fails. A subscription that finds the topic deleted and
 * created again, or its log truncated, or that reads from its beginning a topic this
 * transport created, tells its listener {@link LogListener#onLogReplaced(String)} and reads
 * the new log from its beginning.
 * <p>
 * Thread-safe. {@link #close()} stops every subscription and flushes pending records,
 * within the configured close timeout.
 */
public final class KafkaTransport implements Transport, AutoCloseable {

	private static final AtomicInteger instances = new AtomicInteger();

	private static final int DEFAULT_FETCH_MAX_WAIT_MS = 500;

	private final KafkaTransportOptions options;

	private final int number;

	private final String clientId;

	private final GroupPartitioner partitioner;

	private final KafkaPublisher publisher;

	private final TopicLookup lookup;

	/** The incarnation of the topic that {@link #ensureTopic()} created, if it did. */
	private volatile Uuid createdTopicId;

	private final Map<String, Object> consumerConfig;

	private final Set<KafkaSubscription> subscriptions = ConcurrentHashMap.newKeySet();

	private final AtomicInteger subscriptionCount = new AtomicInteger();

	private final AtomicInteger adminCount = new AtomicInteger();

	private final Object lifecycle = new Object();

	private volatile boolean closed;

	private volatile boolean topicReady;

	private final Object topicLock = new Object();

	/**
	 * Creates a transport; no connection is made until it is used.
	 * @param options the settings
	 * @throws ConfigException if the producer or consumer configuration is invalid
	 */
	public KafkaTransport(KafkaTransportOptions options) {
		this.options = Objects.requireNonNull(options, "options");
		this.number = instances.incrementAndGet();
		this.clientId = options.clientIdPrefix() + "-" + this.number;
		this.partitioner = new GroupPartitioner(options.topic(), options.partition(), options.bootstrapServers());
		this.lookup = new TopicLookup(options, this.clientId + "-admin");
		Map<String, Object> producerConfig = KafkaClientOverrides.enforceProducer(options.producerConfig(),
				this.clientId + "-producer");
		this.consumerConfig = KafkaClientOverrides.enforceConsumer(options.consumerConfig(),
				this.clientId + "-consumer");
		// fail at startup, naming the setting, rather than on the first record
		ProducerConfig.configDef().parse(producerConfig);
		ConsumerConfig.configDef().parse(this.consumerConfig);
		this.publisher = new KafkaPublisher(options.topic(), producerConfig, this.partitioner, this.lookup,
				"failover-kafka-producer-" + this.number);
		this.topicReady = !options.ensureTopicOnFirstRead();
	}

	/**
	 * Returns the partition that carries the records of every group.
	 * @return the partition number, the same whatever the topic's partition count
	 */
	public int partition() {
		return this.options.partition();
	}

	/**
	 * Creates the topic if it is missing and checks it, within the admin timeout. A created
	 * topic is compacted with {@code min.compaction.lag.ms} and {@code segment.ms} from the
	 * options and broker-assigned timestamps ({@code message.timestamp.type=LogAppendTime}, so
	 * the compaction lag does not depend on writers' clocks), has the configured partitions,
	 * replication factor min(3, brokers) unless set, {@code min.insync.replicas} 2 when
	 * replicated 3 times or more, and no unclean leader election. Logs a warning when the
	 * topic is weaker than production-safe (replication factor below 3,
	 * {@code min.insync.replicas} below 2, or unclean leader election on). A created topic has
	 * at least {@code partition + 1} partitions; a subscription that reads a topic created
	 * here from its beginning reports it to its listener as a new log.
	 * @return the topic as found or created
	 * @throws KafkaTransportException if no broker answered in time, the topic could not be
	 * created, or it does not have the configured partition; the message names the topic and
	 * the bootstrap servers
	 */
	public FailoverTopic ensureTopic() {
		String adminClientId = this.clientId + "-admin-" + this.adminCount.incrementAndGet();
		TopicSetup setup = new TopicSetup(this.options, adminClientId);
		FailoverTopic topic = setup.ensure();
		if (setup.createdTopicId() != null) {
			this.createdTopicId = setup.createdTopicId();
		}
		this.partitioner.check(topic.partitions());
		return topic;
	}

	/**
	 * Queues a record for the group's partition and returns at once; the send happens on the
	 * transport's producer thread. The future completes on a Kafka client thread: chain only
	 * non-blocking work to it.
	 * @param group the group, which selects the partition
	 * @param key the record key, may be {@code null}
	 * @param value the record value, may be {@code null}
	 * @return a future completed with the record's offset once all in-sync replicas have it,
	 * or exceptionally when it could not be sent within the producer's delivery timeout or
	 * the transport is closed
	 */
	@Override
	public CompletableFuture<Long> publish(String group, String key, byte[] value) {
		return publishPromptly(group, key, value, Duration.ZERO);
	}

	/**
	 * Sends a record that somebody waits for: if the topic was confirmed at most
	 * {@code checkedWithin} before the record was queued, the record is sent without a new
	 * lookup (a topic deleted since, on a broker with {@code auto.create.topics.enable=true},
	 * could be created again by it; every reader then sees a new topic id and fails closed).
	 * @param checkedWithin how old a confirmation of the topic the record may rely on
	 */
	@Override
	public CompletableFuture<Long> publishPromptly(String group, String key, byte[] value, Duration checkedWithin) {
		Objects.requireNonNull(group, "group");
		if (this.closed) {
			return CompletableFuture.failedFuture(
					new IllegalStateException("Kafka transport of failover topic '" + topic() + "' is closed"));
		}
		return this.publisher.publish(group, key, value, checkedWithin);
	}

	/**
	 * Starts reading a group's partition on a new consumer and thread.
	 * @param group the group
	 * @param fromOffset the first offset; 0 or less, or beyond the log, reads from the earliest
	 * @param progressInterval how often progress is confirmed with the broker
	 * @param listener receives the group's records (and unkeyed ones), progress and errors
	 * @return the subscription; closing it stops the thread promptly
	 * @throws IllegalStateException if the transport is closed
	 */
	@Override
	public Subscription subscribe(String group, long fromOffset, Duration progressInterval, LogListener listener) {
		Objects.requireNonNull(group, "group");
		Objects.requireNonNull(progressInterval, "progressInterval");
		Objects.requireNonNull(listener, "listener");
		if (progressInterval.isNegative() || progressInterval.isZero()) {
			throw new IllegalArgumentException("progressInterval (" + progressInterval + ") must be positive");
		}
		int n = this.subscriptionCount.incrementAndGet();
		Map<String, Object> config = new LinkedHashMap<>(this.consumerConfig);
		config.put(CommonClientConfigs.CLIENT_ID_CONFIG, this.clientId + "-consumer-" + group + "-" + n);
		// an idle fetch parks on the broker for at most half a progress interval: well within
		// the request timeout failover sets (timeout / 2), whatever wait was configured
		long cap = Math.max(1, progressInterval.toMillis() / 2);
		int configured = KafkaClientOverrides.parseInt(config.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
				DEFAULT_FETCH_MAX_WAIT_MS);
		config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(Math.min(configured, cap)));
		synchronized (this.lifecycle) {
			if (this.closed) {
				throw new IllegalStateException("Kafka transport of failover topic '" + topic() + "' is closed");
			}
			String threadName = "failover-kafka-consumer-" + this.number + "-" + group;
			KafkaSubscription subscription = new KafkaSubscription(group, fromOffset, progressInterval, listener,
					config, this.partitioner, this.lookup, () -> this.createdTopicId, this.options.closeTimeout(),
					threadName, this::prepareTopic, this.subscriptions::remove);
			this.subscriptions.add(subscription);
			subscription.start();
			return subscription;
		}
	}

	/**
	 * Ensures the topic once, before the first read, when the options ask for it; a failure
	 * is thrown to the subscription, which reports it and tries again.
	 */
	private void prepareTopic() {
		if (this.topicReady) {
			return;
		}
		synchronized (this.topicLock) {
			if (!this.topicReady) {
				ensureTopic();
				this.topicReady = true;
			}
		}
	}

	/**
	 * Returns the topic name.
	 * @return the topic
	 */
	public String topic() {
		return this.options.topic();
	}

	/**
	 * Returns the settings.
	 * @return the options
	 */
	public KafkaTransportOptions options() {
		return this.options;
	}

	/**
	 * Stops every subscription, then sends what is queued and waits for its
	 * acknowledgement, all within the close timeout; records still pending then fail.
	 * Safe to call more than once.
	 */
	@Override
	public void close() {
		List<KafkaSubscription> open;
		synchronized (this.lifecycle) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			open = new ArrayList<>(this.subscriptions);
		}
		// readers are interrupted out of any wait on the admin client; the publisher flushes
		// what was queued without asking the broker again, and cuts a pending lookup short;
		// then the admin client, whose calls nobody waits for any more
		for (KafkaSubscription subscription : open) {
			subscription.close();
		}
		this.publisher.close(this.options.closeTimeout());
		this.lookup.close();
	}

	/**
	 * Returns how many times the sending thread looked the topic up before sending (for
	 * tests).
	 */
	long publisherLookups() {
		return this.publisher.lookups();
	}

	/**
	 * Returns the threads this transport has started (for tests).
	 */
	List<Thread> threads() {
		List<Thread> threads = new ArrayList<>();
		Thread producer = this.publisher.thread();
		if (producer != null) {
			threads.add(producer);
		}
		for (KafkaSubscription subscription : this.subscriptions) {
			threads.add(subscription.thread());
		}
		return threads;
	}

	/**
	 * Returns the prefix of this transport's client ids (for tests).
	 */
	String clientId() {
		return this.clientId;
	}

	@Override
	public String toString() {
		return "KafkaTransport[" + this.clientId + ", topic=" + topic() + ", bootstrap-servers="
				+ this.options.bootstrapServers() + "]";
	}

}
