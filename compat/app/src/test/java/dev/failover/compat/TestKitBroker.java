package dev.failover.compat;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node KRaft broker in this JVM, from Kafka's own test kit: what spring-kafka-test's
 * {@code @EmbeddedKafka} starts, without spring-kafka-test, whose 4.1 line cannot start a
 * Kafka 4.3 broker. The test kit's API is the same on Kafka 4.1 and 4.3, so one source
 * serves both Boot 4 lines; Kafka 3.9 (Spring Boot 3.5) has the same API in package
 * {@code kafka.testkit}, which ../boot-3.5 maps this source to.
 */
final class TestKitBroker implements AutoCloseable {

	private final KafkaClusterTestKit cluster;

	private TestKitBroker(KafkaClusterTestKit cluster) {
		this.cluster = cluster;
	}

	/**
	 * Formats and starts a broker that is also its own controller, and waits until it serves.
	 * @return the running broker
	 * @throws Exception if it does not start
	 */
	static TestKitBroker start() throws Exception {
		KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(
				new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
			// one broker: the internal topics cannot have more replicas
			.setConfigProp("offsets.topic.replication.factor", "1")
			.setConfigProp("transaction.state.log.replication.factor", "1")
			.setConfigProp("transaction.state.log.min.isr", "1")
			.setConfigProp("group.initial.rebalance.delay.ms", "0")
			.build();
		try {
			cluster.format();
			cluster.startup();
			cluster.waitForReadyBrokers();
		}
		catch (Exception ex) {
			cluster.close();
			throw ex;
		}
		return new TestKitBroker(cluster);
	}

	/**
	 * Returns the broker's address, for {@code spring.kafka.bootstrap-servers}.
	 * @return host and port
	 */
	String bootstrapServers() {
		return this.cluster.bootstrapServers();
	}

	@Override
	public void close() throws Exception {
		this.cluster.close();
	}

}
