/**
 * The Kafka transport of failover, without Spring: {@link dev.failover.kafka.KafkaTransport}
 * implements the core's {@link dev.failover.core.spi.Transport} on one partition of a heartbeat
 * topic, configured by {@link dev.failover.kafka.KafkaTransportOptions} (the one place that
 * validates them) with the client settings of {@link dev.failover.kafka.KafkaClientOverrides}.
 * <p>
 * Public API: the transport, its options and exceptions. The producer, the subscription and
 * the topic set-up are package-private implementation.
 */
package dev.failover.kafka;
