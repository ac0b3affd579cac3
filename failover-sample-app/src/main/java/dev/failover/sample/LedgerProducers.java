package dev.failover.sample;

import java.util.Map;

import org.apache.kafka.clients.producer.Producer;

/**
 * Creates the transactional producers that {@link LedgerWriter} writes the ledger with; a
 * bean, so that a test can write to mock producers instead of Kafka.
 */
@FunctionalInterface
public interface LedgerProducers {

	/**
	 * Creates a producer.
	 * @param config the producer's settings, its transactional id included
	 * @return a new producer
	 */
	Producer<String, String> create(Map<String, Object> config);

}
