package dev.failover.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import dev.failover.core.Watcher;
import dev.failover.test.FailoverTestSupport;
import dev.failover.test.autoconfigure.AutoConfigureFailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's primary-only ledger writer, tested as a user would test their own: the whole
 * application, its failover role driven by {@link FailoverTestSupport} on an in-memory log,
 * and mock producers instead of the ledger topic. Nothing connects to Kafka.
 */
@SpringBootTest(properties = {
		// the test calls append() itself instead of waiting for the scheduler
		"sample.ledger.interval=1h",
		// the ledger topic is not created: there is no broker
		"spring.kafka.admin.auto-create=false",
		// faster than the sample's 1s / 3s: a crashed primary is replaced within a second
		"failover.heartbeat-interval=200ms", "failover.heartbeat-timeout=1s" })
@AutoConfigureFailover
class LedgerWriterFailoverTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final List<MockProducer<String, String>> producers = new CopyOnWriteArrayList<>();

	@TestBean
	private LedgerProducers ledgerProducers;

	/** Follows the ledger topic for the status page; not what this test is about. */
	@MockitoBean
	private LedgerTail ledgerTail;

	@Autowired
	private FailoverTestSupport failover;

	@Autowired
	private Watcher watcher;

	@Autowired
	private LedgerWriter writer;

	static LedgerProducers ledgerProducers() {
		return (config) -> {
			MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
					new StringSerializer());
			producers.add(producer);
			return producer;
		};
	}

	@Test
	void aSecondaryDoesNotWriteTheLedger() {
		this.failover.becomeSecondary();
		await().atMost(WAIT).until(() -> !this.writer.isWriting());
		long written = this.writer.written();

		this.writer.append();

		assertThat(this.writer.written()).isEqualTo(written);
	}

	@Test
	void thePrimaryTakesTheLedgerOverAndWritesAtItsEpoch() {
		this.failover.becomePrimary();
		await().atMost(WAIT).until(this.writer::isWriting);
		MockProducer<String, String> producer = producers.get(producers.size() - 1);
		assertThat(producer.transactionInitialized()).isTrue();

		this.writer.append();

		assertThat(producer.history()).last()
			.extracting(ProducerRecord::value)
			.asString()
			.contains("\"instanceId\":\"" + this.watcher.instanceId() + "\"", "\"epoch\":" + this.watcher.epoch());
	}

	@Test
	void whenThePrimaryCrashesThisInstanceTakesTheLedgerOverAtAHigherEpoch() {
		this.failover.becomeSecondary();
		long epoch = this.watcher.epoch();

		this.failover.crashPeer();
		await().atMost(WAIT).until(this.writer::isWriting);
		this.writer.append();

		assertThat(this.watcher.epoch()).isGreaterThan(epoch);
		assertThat(producers.get(producers.size() - 1).history()).last()
			.extracting(ProducerRecord::value)
			.asString()
			.contains("\"epoch\":" + this.watcher.epoch());
	}

}
