package dev.failover.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import dev.failover.core.Role;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.event.RoleChangedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The ledger writer lets go of the ledger on a demotion without competing with the
 * handover: it stops writing at once and closes its producer only later.
 */
class LedgerWriterTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final Watcher watcher = mock(Watcher.class);

	private final List<MockProducer<String, String>> producers = new ArrayList<>();

	private LedgerWriter writer;

	@AfterEach
	void destroy() {
		if (this.writer != null) {
			this.writer.destroy();
		}
	}

	@Test
	void aDemotionStopsWritingAndClosesTheProducerAfterTheDelay() {
		this.writer = writer(Duration.ofMillis(300));
		promote(1);
		await().atMost(WAIT).until(this.writer::isWriting);
		assertThat(this.producers).hasSize(1);
		MockProducer<String, String> producer = this.producers.get(0);
		assertThat(producer.transactionInitialized()).isTrue();

		given(this.watcher.isPrimary()).willReturn(false);
		long demoted = System.nanoTime();
		this.writer.onRoleChanged(event(Role.PRIMARY, Role.SECONDARY, 1));
		await().atMost(WAIT).until(() -> !this.writer.isWriting());
		await().atMost(WAIT).until(producer::closed);
		assertThat(Duration.ofNanos(System.nanoTime() - demoted)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(this.writer.retiredProducers()).isZero();
	}

	@Test
	void aDemotionLeavesTheProducerOpenUntilTheDelayOrTheApplicationStops() {
		this.writer = writer(Duration.ofHours(1));
		takeOverThenDemote();
		await().atMost(WAIT).until(() -> this.writer.retiredProducers() == 1);
		assertThat(this.producers.get(0).closed()).isFalse();

		this.writer.destroy();
		assertThat(this.producers.get(0).closed()).isTrue();
		assertThat(this.writer.retiredProducers()).isZero();
	}

	@Test
	void aPromotionAfterADemotionTakesOverWithANewProducer() {
		this.writer = writer(Duration.ofHours(1));
		takeOverThenDemote();
		promote(3);
		await().atMost(WAIT).until(() -> this.producers.size() == 2 && this.writer.isWriting());
		assertThat(this.producers.get(1).transactionInitialized()).isTrue();
		assertThat(this.producers.get(0).closed()).isFalse();
		assertThat(this.writer.retiredProducers()).isOne();
	}

	@Test
	void aPrimaryFencedByAnOlderPrimarysLateTakeOverTakesTheLedgerOverAgain() {
		this.writer = writer(Duration.ofHours(1));
		promote(2);
		await().atMost(WAIT).until(this.writer::isWriting);
		this.writer.append();
		assertThat(this.producers.get(0).history()).singleElement()
			.satisfies((record) -> assertThat(record.value()).contains("\"seq\":1,"));
		// the previous primary's initTransactions() completed after ours: our producer is fenced
		this.producers.get(0).fenceProducer();
		this.writer.append();
		await().atMost(WAIT).until(() -> this.producers.size() == 2 && this.writer.isWriting());
		assertThat(this.producers.get(1).transactionInitialized()).isTrue();
		this.writer.append();
		assertThat(this.writer.written()).isEqualTo(2);
		// the epoch's sequence goes on: the ledger's check allows gaps, not a second seq 1
		assertThat(this.producers.get(1).history()).singleElement()
			.satisfies((record) -> assertThat(record.value()).contains("\"seq\":3,"));
		// a demoted instance does not take it over again
		given(this.watcher.isPrimary()).willReturn(false);
		this.producers.get(1).fenceProducer();
		this.writer.append();
		assertThat(this.producers).hasSize(2);
	}

	@Test
	void aRoleChangeAfterTheApplicationStoppedIsIgnored() {
		this.writer = writer(Duration.ofHours(1));
		this.writer.destroy();

		promote(1);

		assertThat(this.producers).isEmpty();
		assertThat(this.writer.isWriting()).isFalse();
	}

	private void takeOverThenDemote() {
		promote(1);
		await().atMost(WAIT).until(this.writer::isWriting);
		given(this.watcher.isPrimary()).willReturn(false);
		this.writer.onRoleChanged(event(Role.PRIMARY, Role.SECONDARY, 1));
	}

	private void promote(long epoch) {
		given(this.watcher.isPrimary()).willReturn(true);
		given(this.watcher.epoch()).willReturn(epoch);
		this.writer.onRoleChanged(event(Role.SECONDARY, Role.PRIMARY, epoch));
	}

	private LedgerWriter writer(Duration closeDelay) {
		given(this.watcher.instanceId()).willReturn("a");
		given(this.watcher.group()).willReturn("g");
		return new LedgerWriter(this.watcher, new KafkaProperties(), new LedgerProperties(), this::producer, closeDelay);
	}

	private synchronized Producer<String, String> producer(Map<String, Object> config) {
		assertThat(config).containsEntry("transactional.id", "failover-sample-ledger-g");
		MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
				new StringSerializer());
		this.producers.add(producer);
		return producer;
	}

	private RoleChangedEvent event(Role from, Role to, long epoch) {
		RoleChange.Cause cause = (to == Role.PRIMARY) ? RoleChange.Cause.PRIMARY_LEFT : RoleChange.Cause.STEPPED_DOWN;
		return new RoleChangedEvent(this.watcher,
				new RoleChange("a", "g", from, to, epoch, cause, "test", Instant.now(), null));
	}

}
