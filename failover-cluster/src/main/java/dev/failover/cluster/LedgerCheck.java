package dev.failover.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Checks the sample's ledger for the guarantees failover must give a primary-only writer.
 * <p>
 * Records are fed in offset order; the rules are:
 * <ol>
 * <li>Epochs never go down: once a record of epoch {@code e} appears, no later record has an
 * epoch below {@code e}. A violation means a deposed primary wrote after its successor's
 * first record.</li>
 * <li>Each epoch has exactly one writer: all records of an epoch carry the same instance id.</li>
 * <li>Within an epoch, sequence numbers rise: a repeated or lower one is a duplicated or
 * reordered write.</li>
 * <li>Every record is a ledger record (JSON with instanceId, epoch, seq).</li>
 * </ol>
 * Feed records one by one ({@link #accept(LedgerRecord)}, for example while tailing the
 * topic in a benchmark), or read a whole topic with {@link #read(String, String, Duration)}.
 * Not thread-safe.
 */
public final class LedgerCheck {

	/** The ledger topic of the sample application. */
	public static final String DEFAULT_TOPIC = "failover-sample-ledger";

	/** How many violations a report lists (all are counted). */
	public static final int MAX_REPORTED = 100;

	private final Map<Long, EpochSummary> epochs = new TreeMap<>();

	private final Map<Long, Long> lastSeq = new TreeMap<>();

	private final Set<String> writers = new TreeSet<>();

	private final List<String> violations = new ArrayList<>();

	private long violationCount;

	private long records;

	private long maxEpoch = Long.MIN_VALUE;

	private long maxEpochOffset = -1;

	/**
	 * Reads every committed record of partition 0 of a ledger topic
	 * ({@code isolation.level=read_committed}, so aborted and fenced writes are not seen) and
	 * checks them.
	 * @param bootstrapServers the broker
	 * @param topic the ledger topic, usually {@link #DEFAULT_TOPIC}
	 * @param timeout the longest time reading may take
	 * @return the report
	 * @throws IllegalStateException if the topic cannot be read to its end in time
	 */
	public static LedgerReport read(String bootstrapServers, String topic, Duration timeout) {
		LedgerCheck check = new LedgerCheck();
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
				ConsumerConfig.CLIENT_ID_CONFIG, "ledger-check", ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
				ByteArrayDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		TopicPartition partition = new TopicPartition(topic, 0);
		long deadline = System.nanoTime() + timeout.toNanos();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			// with read_committed this is the last stable offset: the end of what is committed
			long end = consumer.endOffsets(Set.of(partition), timeout).get(partition);
			while (consumer.position(partition, timeout) < end) {
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException("Could not read " + topic + " to offset " + end + " within "
							+ timeout.toMillis() + " ms (at " + consumer.position(partition) + ")");
				}
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					check.accept(record.offset(),
							(record.value() != null) ? new String(record.value(), StandardCharsets.UTF_8) : null);
				}
			}
		}
		return check.report();
	}

	/**
	 * Checks a raw record value; one that is not a ledger record is a violation.
	 * @param offset the record's offset
	 * @param json the value, or {@code null} for a tombstone
	 */
	public void accept(long offset, String json) {
		LedgerRecord record;
		try {
			record = LedgerRecord.parse(offset, (json != null) ? json : "null");
		}
		catch (IllegalArgumentException ex) {
			this.records++;
			violation("offset " + offset + ": not a ledger record (" + ex.getMessage() + ")");
			return;
		}
		accept(record);
	}

	/**
	 * Checks the next record, in offset order.
	 * @param record the record
	 */
	public void accept(LedgerRecord record) {
		this.records++;
		this.writers.add(record.instanceId());
		long epoch = record.epoch();
		if (epoch < this.maxEpoch) {
			violation("offset " + record.offset() + ": '" + record.instanceId() + "' wrote epoch " + epoch + " (seq "
					+ record.seq() + ") after epoch " + this.maxEpoch + " began at offset " + this.maxEpochOffset
					+ ": a deposed primary wrote after its successor's first record");
		}
		else if (epoch > this.maxEpoch) {
			this.maxEpoch = epoch;
			this.maxEpochOffset = record.offset();
		}
		EpochSummary summary = this.epochs.get(epoch);
		if (summary == null) {
			this.epochs.put(epoch, new EpochSummary(epoch, record.instanceId(), 1, record.offset(), record.offset()));
		}
		else {
			if (!summary.writer().equals(record.instanceId())) {
				violation("offset " + record.offset() + ": epoch " + epoch + " written by '" + record.instanceId()
						+ "', but it belongs to '" + summary.writer() + "' (first record at offset " + summary.firstOffset()
						+ "): two writers in one epoch");
			}
			this.epochs.put(epoch, summary.plus(record.offset()));
		}
		Long previous = this.lastSeq.get(epoch);
		if (previous != null && record.seq() <= previous) {
			violation("offset " + record.offset() + ": seq " + record.seq() + " of epoch " + epoch + " after seq "
					+ previous + ": a duplicated or reordered write");
		}
		this.lastSeq.merge(epoch, record.seq(), Math::max);
	}

	/**
	 * Returns the report of everything accepted so far.
	 * @return the report
	 */
	public LedgerReport report() {
		return new LedgerReport(this.records, new TreeSet<>(this.writers), new TreeSet<>(this.epochs.keySet()),
				new ArrayList<>(this.epochs.values()), this.violationCount, this.violations);
	}

	private void violation(String description) {
		this.violationCount++;
		if (this.violations.size() < MAX_REPORTED) {
			this.violations.add(description);
		}
	}

}
