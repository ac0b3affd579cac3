package dev.failover.kafka;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import dev.failover.core.spi.Transport;
import dev.failover.core.testing.TransportContract;

/**
 * The transport contract on a real broker (in-process KRaft): every test on a topic of its
 * own, created by the transport before anything is published.
 */
@EmbeddedKafka(brokerProperties = "auto.create.topics.enable=false")
class KafkaTransportContractIT extends TransportContract {

	private KafkaTransport transport;

	@Override
	protected Transport transport() {
		if (this.transport == null) {
			Duration interval = Duration.ofMillis(200);
			Duration timeout = Duration.ofSeconds(1);
			this.transport = new KafkaTransport(KafkaTransportOptions.builder()
				.topic("contract-" + UUID.randomUUID().toString().substring(0, 8))
				.bootstrapServers(EmbeddedKafkaCondition.getBroker().getBrokersAsString())
				.producerConfig(KafkaClientOverrides.producer(interval, timeout))
				.consumerConfig(KafkaClientOverrides.consumer(interval, timeout))
				.adminTimeout(Duration.ofSeconds(20))
				.build());
			this.transport.ensureTopic();
		}
		return this.transport;
	}

	@AfterEach
	void closeTransport() {
		if (this.transport != null) {
			this.transport.close();
		}
	}

}
