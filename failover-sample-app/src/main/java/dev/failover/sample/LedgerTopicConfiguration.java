package dev.failover.sample;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Creates the ledger topic at startup if it is missing, and provides the producers that
 * write it.
 */
@Configuration(proxyBeanMethods = false)
class LedgerTopicConfiguration {

	@Bean
	NewTopic ledgerTopic(LedgerProperties ledger) {
		return TopicBuilder.name(ledger.getTopic()).partitions(1).replicas(ledger.getReplicas()).build();
	}

	@Bean
	LedgerProducers ledgerProducers() {
		return KafkaProducer::new;
	}

}
