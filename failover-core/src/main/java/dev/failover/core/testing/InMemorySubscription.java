package dev.failover.core.testing;

import java.util.ArrayList;
import java.util.List;

import dev.failover.core.spi.Cancellable;
import dev.failover.core.spi.LogListener;
import dev.failover.core.spi.Subscription;

/**
 * One reader of an {@link InMemoryLog}: delivers its group's records once they are visible
 * through its instance's link, and confirms progress once a progress interval. Its work runs
 * on the log's loop.
 */
final class InMemorySubscription implements Subscription {

	private final InMemoryLog log;

	private final InMemoryLink link;

	final String group;

	final LogListener listener;

	private final long progressNanos;

	volatile boolean closed;

	/** The next offset to read; moved back when the log is replaced or truncated. */
	long next;

	private long pumpAt = Long.MAX_VALUE;

	private Cancellable ticker = Cancellable.NONE;

	InMemorySubscription(InMemoryLog log, InMemoryLink link, String group, long from, long progressNanos,
			LogListener listener) {
		this.log = log;
		this.link = link;
		this.group = group;
		this.next = Math.max(0, from);
		this.progressNanos = progressNanos;
		this.listener = listener;
	}

	@Override
	public void close() {
		this.closed = true;
		this.log.unsubscribe(this);
		this.log.loop().execute(() -> this.ticker.cancel());
	}

	/** Delivers what is visible now and confirms progress; then again every progress interval. */
	void tick() {
		if (this.closed) {
			return;
		}
		pump();
		this.ticker = this.log.loop().schedule(this::tick, this.progressNanos);
	}

	/** Delivers the group's records visible now, confirms progress, and waits for the next one due. */
	void pump() {
		if (this.closed || this.link.blocked()) {
			return;
		}
		long now = this.log.clock().nanoTime();
		long visibleBefore = now - this.link.delayNanos;
		List<InMemoryLog.Entry> batch = new ArrayList<>();
		long appendedAt = this.log.collect(this, visibleBefore, batch);
		for (InMemoryLog.Entry entry : batch) {
			if (this.closed) {
				return;
			}
			this.listener.onRecord(entry.offset(), entry.key(), entry.value());
		}
		if (this.closed) {
			return;
		}
		if (!this.link.withholdingProgress) {
			// every record not yet delivered was appended after now - delay
			this.listener.onProgress(this.next, visibleBefore);
		}
		long nextDue = (appendedAt != Long.MAX_VALUE) ? appendedAt + this.link.delayNanos : Long.MAX_VALUE;
		if (nextDue != Long.MAX_VALUE && nextDue < this.pumpAt) {
			this.pumpAt = nextDue;
			this.log.loop().schedule(() -> {
				this.pumpAt = Long.MAX_VALUE;
				pump();
			}, nextDue - now);
		}
	}

}
