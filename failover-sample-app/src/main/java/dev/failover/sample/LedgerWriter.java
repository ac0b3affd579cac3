package dev.failover.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.failover.core.Watcher;
import dev.failover.event.RoleChangedEvent;
import dev.failover.primary.PrimaryOnly;

/**
 * The primary-only job: appends {@code {"instanceId", "epoch", "seq", "at"}} to the ledger
 * topic every 200 ms.
 * <p>
 * Its writes are fenced by Kafka itself. The producer is transactional with a
 * {@code transactional.id} fixed per failover group, and is initialised on promotion:
 * {@code initTransactions()} makes the broker bump the id's producer epoch, so any producer
 * of a deposed primary (one paused by a long GC, say, that wakes up believing it is still
 * primary) is rejected with {@link ProducerFencedException} on its next write. Readers of the
 * ledger use {@code isolation.level=read_committed} and never see a fenced write. This is
 * how the failover epoch becomes real protection for a service's own data.
 */
@Component
public class LedgerWriter implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(LedgerWriter.class);

	/** How long after a demotion the producer that stopped writing is closed. */
	static final Duration CLOSE_DELAY = Duration.ofSeconds(1);

	private final Watcher watcher;

	private final KafkaProperties kafkaProperties;

	private final LedgerProperties ledger;

	private final AtomicLong written = new AtomicLong();

	private final AtomicLong fenced = new AtomicLong();

	/** Takes the ledger over and closes retired producers, in order, off the event thread (both can block). */
	private final ScheduledExecutorService owner = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "ledger-owner");
		thread.setDaemon(true);
		return thread;
	});

	private final Function<Map<String, Object>, Producer<String, String>> producers;

	private final Duration closeDelay;

	/** The epoch whose records {@link #sequence} numbers; set with it by {@link #sequenceOf}. */
	private long sequenceEpoch = -1;

	private AtomicLong sequence;

	/** Producers that stopped writing on a demotion and are not closed yet. */
	private final Set<Fence> retired = ConcurrentHashMap.newKeySet();

	private volatile Fence fence;

	@Autowired
	public LedgerWriter(Watcher watcher, KafkaProperties kafkaProperties, LedgerProperties ledger,
			LedgerProducers producers) {
		this(watcher, kafkaProperties, ledger, producers::create, CLOSE_DELAY);
	}

	LedgerWriter(Watcher watcher, KafkaProperties kafkaProperties, LedgerProperties ledger,
			Function<Map<String, Object>, Producer<String, String>> producers, Duration closeDelay) {
		this.watcher = watcher;
		this.kafkaProperties = kafkaProperties;
		this.ledger = ledger;
		this.producers = producers;
		this.closeDelay = closeDelay;
	}

	/**
	 * Takes over the ledger on promotion (fencing any earlier writer); on demotion, stops
	 * writing (appends had already stopped: they run only on the primary) and closes the
	 * producer {@link #CLOSE_DELAY} later.
	 * <p>
	 * Closing a producer (flushing it, telling the broker, unregistering its metrics) takes
	 * a few milliseconds of CPU. Right after a demotion those milliseconds belong to the
	 * successor, which is reading the handover notice; on two cores they would delay it. A
	 * producer that no longer writes costs nothing meanwhile, and the successor's
	 * {@code initTransactions()} fences it in any case.
	 * @param event the role change
	 */
	@EventListener
	public void onRoleChanged(RoleChangedEvent event) {
		if (!this.ledger.isEnabled()) {
			return;
		}
		// in order on one thread: a demotion retires whatever the promotion before it took over
		try {
			this.owner.execute(() -> {
				if (!event.isPromotion()) {
					retireFence();
					return;
				}
				closeFence();
				if (this.watcher.isPrimary()) {
					takeOver(event.getEpoch());
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// the application is stopping: destroy() closes every producer
		}
	}

	private void retireFence() {
		Fence current = detachFence();
		if (current == null) {
			return;
		}
		this.retired.add(current);
		try {
			this.owner.schedule(() -> closeRetired(current), this.closeDelay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the application is stopping: close it now, whether or not destroy() has run
			closeRetired(current);
		}
	}

	private void closeRetired(Fence retiredFence) {
		if (this.retired.remove(retiredFence)) {
			retiredFence.producer.close(Duration.ofSeconds(2));
		}
	}

	private void takeOver(long epoch) {
		Producer<String, String> producer = this.producers.apply(producerConfig());
		try {
			producer.initTransactions();
		}
		catch (KafkaException ex) {
			logger.error("Ledger: cannot take over the ledger at epoch {}", epoch, ex);
			producer.close(Duration.ZERO);
			return;
		}
		if (!this.watcher.isPrimary() || this.watcher.epoch() != epoch) {
			producer.close(Duration.ZERO);
			return;
		}
		this.fence = new Fence(producer, epoch, sequenceOf(epoch));
		logger.info("Ledger: writing as '{}' at epoch {} (transactional id '{}')", this.watcher.instanceId(), epoch,
				transactionalId());
	}

	/**
	 * Appends one record; runs only on the primary.
	 */
	@PrimaryOnly
	@Scheduled(fixedRateString = "${sample.ledger.interval:200ms}")
	public void append() {
		Fence current = this.fence;
		if (current == null) {
			return;
		}
		long seq = current.seq.incrementAndGet();
		String record = "{\"instanceId\":\"" + this.watcher.instanceId() + "\",\"epoch\":" + current.epoch + ",\"seq\":"
				+ seq + ",\"at\":\"" + Instant.now() + "\"}";
		try {
			current.producer.beginTransaction();
			current.producer.send(new ProducerRecord<>(this.ledger.getTopic(), 0, this.watcher.group(), record))
				.get(5, TimeUnit.SECONDS);
			current.producer.commitTransaction();
			this.written.incrementAndGet();
		}
		catch (ProducerFencedException | InvalidProducerEpochException ex) {
			this.fenced.incrementAndGet();
			logger.warn("Ledger: write {} of epoch {} was rejected by Kafka: a newer primary owns the ledger", seq,
					current.epoch);
			closeFence();
			takeOverAgainIfStillPrimary(current.epoch);
		}
		catch (ExecutionException | TimeoutException | KafkaException ex) {
			abort(current, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			abort(current, ex);
		}
	}

	/**
	 * Returns how many records this instance committed to the ledger.
	 * @return the count
	 */
	public long written() {
		return this.written.get();
	}

	/**
	 * Returns how many of this instance's writes Kafka rejected as fenced.
	 * @return the count
	 */
	public long fenced() {
		return this.fenced.get();
	}

	/**
	 * Returns whether this instance holds a producer that may write to the ledger.
	 * @return {@code true} between a promotion's take-over and the next demotion
	 */
	boolean isWriting() {
		return this.fence != null;
	}

	/**
	 * Returns how many producers stopped writing on a demotion and wait to be closed.
	 * @return the count
	 */
	int retiredProducers() {
		return this.retired.size();
	}

	@Override
	public void destroy() {
		this.owner.shutdownNow();
		closeFence();
		for (Fence retiredFence : Set.copyOf(this.retired)) {
			closeRetired(retiredFence);
		}
	}

	private void abort(Fence current, Exception cause) {
		logger.warn("Ledger: write failed ({}); aborting the transaction", cause.toString());
		try {
			current.producer.abortTransaction();
		}
		catch (KafkaException ex) {
			// a producer that cannot even abort is useless: take over afresh
			closeFence();
			takeOverAgainIfStillPrimary(current.epoch);
		}
	}

	/**
	 * Takes the ledger over again when this instance lost its producer while it is still the
	 * primary of that epoch: an older primary's take-over that was still under way when it
	 * stepped down can complete after ours and fence us. Safe: while this instance is primary
	 * nobody else is, and a take-over that completes after the lease ended is closed unused
	 * ({@link #takeOver}).
	 */
	private void takeOverAgainIfStillPrimary(long epoch) {
		if (this.watcher.isPrimary() && this.watcher.epoch() == epoch) {
			logger.info("Ledger: still primary at epoch {}: taking the ledger over again", epoch);
			try {
				this.owner.execute(() -> {
					if (this.fence == null) {
						takeOver(epoch);
					}
				});
			}
			catch (RejectedExecutionException ex) {
				// the application is stopping
			}
		}
	}

	/**
	 * Returns the sequence of an epoch's records: a take-over again at the same epoch goes on
	 * counting where the fenced producer stopped, so that the ledger's order check (one
	 * sequence per epoch) holds across it.
	 */
	private synchronized AtomicLong sequenceOf(long epoch) {
		if (epoch != this.sequenceEpoch) {
			this.sequenceEpoch = epoch;
			this.sequence = new AtomicLong();
		}
		return this.sequence;
	}

	private void closeFence() {
		Fence current = detachFence();
		if (current != null) {
			current.producer.close(Duration.ofSeconds(2));
		}
	}

	/** Takes the current producer out of use; the caller closes it. */
	private synchronized Fence detachFence() {
		Fence current = this.fence;
		this.fence = null;
		return current;
	}

	private String transactionalId() {
		return "failover-sample-ledger-" + this.watcher.group();
	}

	private Map<String, Object> producerConfig() {
		Map<String, Object> config = new HashMap<>(this.kafkaProperties.buildProducerProperties());
		config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
		config.put(ProducerConfig.CLIENT_ID_CONFIG, "ledger-" + this.watcher.instanceId());
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		// the first initTransactions() of a cluster creates the transaction log: allow for it
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30000);
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		return config;
	}

	/** A transactional producer that owns the ledger for one epoch. */
	private static final class Fence {

		final Producer<String, String> producer;

		final long epoch;

		final AtomicLong seq;

		Fence(Producer<String, String> producer, long epoch, AtomicLong seq) {
			this.producer = producer;
			this.epoch = epoch;
			this.seq = seq;
		}

	}

}
