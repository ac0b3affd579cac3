/**
 * Process-level test kit of this repository (not published for users): standalone Kafka
 * brokers and three-broker clusters from Maven Central jars, child JVMs, TCP proxies that
 * cut, blackhole or delay links, free ports and signals.
 */
package dev.failover.testkit;
