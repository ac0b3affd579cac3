package dev.failover.core.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.failover.core.spi.EventLoop;
import dev.failover.core.spi.FailoverClock;
import dev.failover.core.spi.LogListener;
import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;

/**
 * An in-memory, single-partition log that behaves like a small broker, with knobs to make
 * one instance's connection slow, lossy, cut off or frozen.
 * <p>
 * Each instance {@linkplain #connect(String) connects} under its instance id and gets its
 * own {@link Transport}. The log is ordered and never loses an acknowledged record; all of
 * its work runs on one event loop of the given clock, so under a
 * {@link dev.failover.core.testing.VirtualClock} whole groups run deterministically. The knobs,
 * per instance:
 * <ul>
 * <li>{@link #setDelay(String, Duration)}: one-way latency to and from the log;</li>
 * <li>{@link #dropPublishes(String, boolean)}: the instance can read but its writes fail
 * after the request timeout;</li>
 * <li>{@link #partition(String)} / {@link #heal(String)}: cut off both ways; writes wait and
 * fail after the request timeout unless healed first (then they are appended late, as a
 * retrying producer would), reads stop and resume where they left off;</li>
 * <li>{@link #pause(String)} / {@link #resume(String)}: traffic frozen both ways, nothing
 * fails, everything flows on resume.</li>
 * </ul>
 * Thread-safe. Usable by any test that needs a failover group without a broker.
 */
public final class InMemoryLog implements AutoCloseable {

	private final FailoverClock clock;

	private final EventLoop loop;

	/** The records, in offset order; offsets have gaps once the log is compacted. */
	private final List<Entry> entries = new ArrayList<>();

	/** The offset the next record gets. */
	private long nextOffset;

	private final Map<String, InMemoryLink> links = new ConcurrentHashMap<>();

	private final List<InMemorySubscription> subscriptions = new CopyOnWriteArrayList<>();

	private volatile Duration requestTimeout = Duration.ofSeconds(2);

	/**
	 * Creates an empty log whose work runs on a new loop of the given clock.
	 * @param clock the clock
	 */
	public InMemoryLog(FailoverClock clock) {
		this.clock = Objects.requireNonNull(clock, "clock");
		this.loop = clock.newEventLoop("failover-in-memory-log");
	}

	/**
	 * Returns a transport for one instance.
	 * @param instanceId the instance, which the knobs refer to
	 * @return a transport whose traffic is subject to that instance's knobs
	 */
	public Transport connect(String instanceId) {
		return new InMemoryTransport(this, link(instanceId));
	}

	/**
	 * Appends a record directly, as an outside writer would (for instance to inject garbage).
	 * @param key the key, may be {@code null}
	 * @param value the value, may be {@code null}
	 * @return the record's offset
	 */
	public long append(String key, byte[] value) {
		long offset = appendFrom(null, key, value);
		this.loop.execute(this::pumpAll);
		return offset;
	}

	/**
	 * Returns whether any instance's writes are delayed, dropped, cut off or paused.
	 * @return {@code true} while a knob is set
	 */
	public boolean hasFaults() {
		return this.links.values().stream().anyMatch(InMemoryLink::hasFaults);
	}

	/**
	 * Compacts the log as Kafka's log cleaner does: of the records before {@code cutOffset},
	 * only the latest of each key is kept (and a key's tombstone is dropped too, as after
	 * {@code delete.retention.ms}); records from the cut on are untouched. Offsets do not change.
	 * @param cutOffset the first offset not cleaned (the cleaner never touches records younger
	 * than {@code min.compaction.lag.ms})
	 * @return the number of records removed
	 */
	public synchronized int compact(long cutOffset) {
		Map<String, Long> latest = new HashMap<>();
		for (Entry entry : this.entries) {
			if (entry.offset >= cutOffset) {
				break;
			}
			latest.put(entry.key, entry.offset);
		}
		int before = this.entries.size();
		this.entries.removeIf((entry) -> entry.offset < cutOffset
				&& (!Objects.equals(latest.get(entry.key), entry.offset) || entry.value == null));
		return before - this.entries.size();
	}

	/**
	 * Returns the offset of the first record appended after a moment, or the end offset.
	 * @param nanoTime the moment, on the clock
	 * @return the offset
	 */
	public synchronized long firstOffsetAppendedAfter(long nanoTime) {
		for (Entry entry : this.entries) {
			if (entry.appendedAtNanos > nanoTime) {
				return entry.offset;
			}
		}
		return this.nextOffset;
	}

	/**
	 * Replaces the log with an empty one whose offsets start again at 0, as a topic deleted
	 * and created again; every reader goes on reading from the new log's beginning.
	 * @param notify whether readers are told ({@link LogListener#onLogReplaced}), as the
	 * Kafka transport tells them when the topic id changes; if not, they must notice it
	 */
	public void replace(boolean notify) {
		synchronized (this) {
			this.entries.clear();
			this.nextOffset = 0;
		}
		restartReaders(0, notify, "the log was replaced");
	}

	/**
	 * Truncates the log from an offset on, as a leader election without a clean replica
	 * does: acknowledged records are lost, and later records reuse their offsets.
	 * @param fromOffset the first offset lost
	 * @param notify whether readers are told, as the Kafka consumer's truncation detection
	 * tells the Kafka transport
	 */
	public void truncate(long fromOffset, boolean notify) {
		synchronized (this) {
			this.entries.removeIf((entry) -> entry.offset >= fromOffset);
			this.nextOffset = Math.min(this.nextOffset, Math.max(0, fromOffset));
		}
		restartReaders(fromOffset, notify, "the log was truncated at offset " + fromOffset);
	}

	private void restartReaders(long fromOffset, boolean notify, String reason) {
		this.loop.execute(() -> {
			for (InMemorySubscription sub : this.subscriptions) {
				if (sub.next > fromOffset || notify) {
					sub.next = notify ? 0 : Math.max(0, fromOffset);
					if (notify && !sub.closed) {
						sub.listener.onLogReplaced(reason);
					}
				}
			}
			pumpAll();
		});
	}

	/**
	 * Returns a snapshot of every record in the log.
	 * @return the records, in offset order
	 */
	public synchronized List<Entry> entries() {
		return List.copyOf(this.entries);
	}

	/**
	 * Returns the number of records in the log.
	 * @return the end offset
	 */
	public synchronized int size() {
		return (int) this.nextOffset;
	}

	/**
	 * Sets how long a write waits while its instance is cut off before it fails.
	 * @param timeout the request timeout (default 2 s)
	 */
	public void setRequestTimeout(Duration timeout) {
		this.requestTimeout = timeout;
	}

	/**
	 * Sets the one-way latency between an instance and the log.
	 * @param instanceId the instance
	 * @param delay the latency, zero for none
	 */
	public void setDelay(String instanceId, Duration delay) {
		link(instanceId).delayNanos = Math.max(0, delay.toNanos());
	}

	/**
	 * Makes an instance's writes fail (after the request timeout) while it can still read.
	 * @param instanceId the instance
	 * @param drop whether to drop its writes
	 */
	public void dropPublishes(String instanceId, boolean drop) {
		link(instanceId).dropping = drop;
	}

	/**
	 * Stops confirming progress to an instance, as if every end-offset answer were lost,
	 * while its records still flow both ways (a joining instance then never catches up).
	 * @param instanceId the instance
	 * @param withhold whether to withhold its progress reports
	 */
	public void withholdProgress(String instanceId, boolean withhold) {
		link(instanceId).withholdingProgress = withhold;
	}

	/**
	 * Cuts an instance off from the log, both ways.
	 * @param instanceId the instance
	 */
	public void partition(String instanceId) {
		link(instanceId).partitioned = true;
	}

	/**
	 * Reconnects a partitioned instance: its pending writes are appended and its reads resume.
	 * @param instanceId the instance
	 */
	public void heal(String instanceId) {
		link(instanceId).partitioned = false;
		this.loop.execute(() -> {
			link(instanceId).flush();
			pumpAll();
		});
	}

	/**
	 * Freezes an instance's traffic, both ways, without failing anything.
	 * @param instanceId the instance
	 */
	public void pause(String instanceId) {
		link(instanceId).paused = true;
	}

	/**
	 * Unfreezes an instance's traffic.
	 * @param instanceId the instance
	 */
	public void resume(String instanceId) {
		link(instanceId).paused = false;
		this.loop.execute(() -> {
			link(instanceId).flush();
			pumpAll();
		});
	}

	/**
	 * Restores every knob of every instance to normal.
	 */
	public void healAll() {
		for (Map.Entry<String, InMemoryLink> entry : this.links.entrySet()) {
			entry.getValue().reset();
			heal(entry.getKey());
		}
	}

	/**
	 * Stops the log's loop; later writes fail and nothing more is delivered.
	 */
	@Override
	public void close() {
		this.loop.shutdown();
	}

	private InMemoryLink link(String instanceId) {
		return this.links.computeIfAbsent(instanceId, (id) -> new InMemoryLink(this, id));
	}

	// ---- for the links and transports, on the log's loop

	EventLoop loop() {
		return this.loop;
	}

	FailoverClock clock() {
		return this.clock;
	}

	Duration requestTimeout() {
		return this.requestTimeout;
	}

	/** Appends an instance's record; returns its offset. */
	long appendFrom(String writer, String key, byte[] value) {
		synchronized (this) {
			long offset = this.nextOffset++;
			this.entries.add(new Entry(offset, key, value, this.clock.nanoTime(), this.clock.instant(), writer));
			return offset;
		}
	}

	Subscription subscribe(InMemoryLink link, String group, long fromOffset, Duration progressInterval,
			LogListener listener) {
		long progressNanos = Math.max(1_000_000L, progressInterval.toNanos());
		InMemorySubscription sub = new InMemorySubscription(this, link, group, fromOffset, progressNanos, listener);
		this.subscriptions.add(sub);
		this.loop.execute(sub::tick);
		return sub;
	}

	void unsubscribe(InMemorySubscription sub) {
		this.subscriptions.remove(sub);
	}

	void pumpAll() {
		for (InMemorySubscription sub : this.subscriptions) {
			sub.pump();
		}
	}

	/**
	 * Collects a reader's group records visible before a moment and moves its position past
	 * them.
	 * @return when the first record not visible yet was appended, or {@code Long.MAX_VALUE}
	 */
	synchronized long collect(InMemorySubscription sub, long visibleBefore, List<Entry> batch) {
		for (int i = indexOf(sub.next); i < this.entries.size(); i++) {
			Entry entry = this.entries.get(i);
			if (entry.appendedAtNanos > visibleBefore) {
				return entry.appendedAtNanos;
			}
			sub.next = entry.offset + 1;
			if (Transport.isGroupRecord(sub.group, entry.key)) {
				batch.add(entry);
			}
		}
		// compaction may have removed the last records: the reader is at the end
		sub.next = Math.max(sub.next, this.nextOffset);
		return Long.MAX_VALUE;
	}

	/** The index of the first record at or after an offset; called holding the lock. */
	private int indexOf(long offset) {
		int low = 0;
		int high = this.entries.size();
		while (low < high) {
			int mid = (low + high) >>> 1;
			if (this.entries.get(mid).offset < offset) {
				low = mid + 1;
			}
			else {
				high = mid;
			}
		}
		return low;
	}

	/**
	 * A record in the log.
	 *
	 * @param offset the record's offset
	 * @param key the key, may be {@code null}
	 * @param value the value, may be {@code null}
	 * @param appendedAtNanos when it was appended (clock nanos)
	 * @param appendedAt when it was appended (wall clock)
	 * @param writer the instance that wrote it, or {@code null} for a direct append
	 */
	public record Entry(long offset, String key, byte[] value, long appendedAtNanos, Instant appendedAt,
			String writer) {
	}

}
