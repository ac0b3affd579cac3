package dev.failover.core.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.failover.core.spi.LogListener;
import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;

/** The transport of one instance connected to an {@link InMemoryLog}, through its link. */
final class InMemoryTransport implements Transport {

	private final InMemoryLog log;

	private final InMemoryLink link;

	InMemoryTransport(InMemoryLog log, InMemoryLink link) {
		this.log = log;
		this.link = link;
	}

	@Override
	public CompletableFuture<Long> publish(String group, String key, byte[] value) {
		CompletableFuture<Long> future = new CompletableFuture<>();
		InMemoryLink.Pending write = new InMemoryLink.Pending(key, value, future);
		this.log.loop().execute(() -> this.link.publish(write));
		return future;
	}

	@Override
	public Subscription subscribe(String group, long fromOffset, Duration progressInterval, LogListener listener) {
		return this.log.subscribe(this.link, group, fromOffset, progressInterval, listener);
	}

	@Override
	public String toString() {
		return "InMemoryTransport[" + this.link.instanceId + "]";
	}

}
