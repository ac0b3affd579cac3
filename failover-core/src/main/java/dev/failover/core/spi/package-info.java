/**
 * Service provider interfaces: what a log ({@link dev.failover.core.spi.Transport}) and a
 * clock ({@link dev.failover.core.spi.FailoverClock}) must provide for a watcher to run on
 * them. Implemented by {@code failover-kafka}, by the in-memory log and the virtual clock of
 * {@code dev.failover.core.testing}, and by the system clock.
 * <p>
 * SPI: stable for implementers; applications rarely need it.
 */
package dev.failover.core.spi;
