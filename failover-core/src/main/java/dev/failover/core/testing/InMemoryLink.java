package dev.failover.core.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * One instance's connection to an {@link InMemoryLog}: its knobs (latency, dropped writes,
 * withheld progress, a cut, a pause) and the way its writes take through them. Its methods
 * run on the log's loop; the knobs are set from any thread.
 */
final class InMemoryLink {

	/** A write on its way to the log. */
	record Pending(String key, byte[] value, CompletableFuture<Long> future) {
	}

	final String instanceId;

	private final InMemoryLog log;

	/** Writes held while the link is blocked. */
	private final Deque<Pending> pending = new ArrayDeque<>();

	/** Acknowledgements of appended writes held while the link is blocked. */
	private final Deque<Runnable> acks = new ArrayDeque<>();

	volatile long delayNanos;

	volatile boolean dropping;

	volatile boolean withholdingProgress;

	volatile boolean partitioned;

	volatile boolean paused;

	private long lastAppendAt = Long.MIN_VALUE;

	InMemoryLink(InMemoryLog log, String instanceId) {
		this.log = log;
		this.instanceId = instanceId;
	}

	boolean blocked() {
		return this.partitioned || this.paused;
	}

	boolean hasFaults() {
		return blocked() || this.dropping || this.delayNanos > 0;
	}

	/** Sets every knob but the cut back to normal (healing the cut is the log's, on its loop). */
	void reset() {
		this.delayNanos = 0;
		this.dropping = false;
		this.withholdingProgress = false;
		this.paused = false;
	}

	/** Takes a write towards the log: held, dropped, or appended after the latency. */
	void publish(Pending write) {
		if (blocked()) {
			this.pending.add(write);
			if (this.partitioned) {
				this.log.loop().schedule(() -> expire(write), this.log.requestTimeout().toNanos());
			}
			return;
		}
		if (this.dropping) {
			this.log.loop().schedule(() -> write.future().completeExceptionally(
					new TimeoutException("write from " + this.instanceId + " dropped")),
					this.log.requestTimeout().toNanos());
			return;
		}
		long now = this.log.clock().nanoTime();
		long appendAt = Math.max(now + this.delayNanos, this.lastAppendAt);
		this.lastAppendAt = appendAt;
		this.log.loop().schedule(() -> append(write), appendAt - now);
	}

	private void append(Pending write) {
		long offset = this.log.appendFrom(this.instanceId, write.key(), write.value());
		this.log.loop().schedule(() -> {
			if (!blocked()) {
				write.future().complete(offset);
				return;
			}
			// the record is in the log, but the writer cannot hear so: like a producer, it
			// gets the acknowledgement on reconnection, or a timeout
			this.acks.add(() -> write.future().complete(offset));
			if (this.partitioned) {
				this.log.loop().schedule(() -> write.future().completeExceptionally(new TimeoutException(
						"acknowledgement lost: log unreachable from " + this.instanceId)),
						this.log.requestTimeout().toNanos());
			}
		}, this.delayNanos);
		this.log.pumpAll();
	}

	private void expire(Pending write) {
		if (this.pending.remove(write)) {
			write.future().completeExceptionally(new TimeoutException(
					"log unreachable from " + this.instanceId + " for " + this.log.requestTimeout()));
		}
	}

	/** Once unblocked: sends the writes held and delivers the acknowledgements held. */
	void flush() {
		if (blocked()) {
			return;
		}
		while (!this.pending.isEmpty()) {
			publish(this.pending.poll());
		}
		while (!this.acks.isEmpty()) {
			this.acks.poll().run();
		}
	}

}
