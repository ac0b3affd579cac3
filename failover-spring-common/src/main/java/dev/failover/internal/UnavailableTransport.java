package dev.failover.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.failover.core.spi.LogListener;
import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;

/**
 * The transport of an application that has none (no Kafka on the classpath and no
 * {@link Transport} bean): fine while failover stays disabled, a clear error otherwise.
 */
public final class UnavailableTransport implements Transport {

	/** Why there is no transport, and what to do. */
	public static final String MESSAGE = "No failover transport is available: add spring-kafka (the starter brings it "
			+ "unless excluded) or define a dev.failover.core.spi.Transport bean";

	@Override
	public CompletableFuture<Long> publish(String group, String key, byte[] value) {
		return CompletableFuture.failedFuture(new IllegalStateException(MESSAGE));
	}

	@Override
	public Subscription subscribe(String group, long fromOffset, Duration progressInterval, LogListener listener) {
		throw new IllegalStateException(MESSAGE);
	}

}
