package dev.failover.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.failover.core.spi.LogListener;
import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;

/**
 * A transport that passes everything through to another and notes when each record was
 * handed to it, acknowledged, and delivered to a reader: the profiler's view of the time a
 * record spends between two watchers.
 */
final class TimingTransport implements Transport {

	private static final Pattern TYPE = Pattern.compile("\"type\":\"([A-Z]+)\"");

	private final String name;

	private final Transport delegate;

	private final List<Event> events;

	/**
	 * Wraps a transport.
	 * @param name the watcher's name, for the events
	 * @param delegate the real transport
	 * @param events where events go (shared by every wrapped transport)
	 */
	TimingTransport(String name, Transport delegate, List<Event> events) {
		this.name = name;
		this.delegate = delegate;
		this.events = events;
	}

	static List<Event> newEventList() {
		return new CopyOnWriteArrayList<>();
	}

	@Override
	public CompletableFuture<Long> publish(String group, String key, byte[] value) {
		String type = type(value);
		this.events.add(new Event(this.name, Kind.PUBLISH, type, -1, Instant.now()));
		return noteAcknowledged(type, this.delegate.publish(group, key, value));
	}

	@Override
	public CompletableFuture<Long> publishPromptly(String group, String key, byte[] value, Duration checkedWithin) {
		String type = type(value);
		this.events.add(new Event(this.name, Kind.PUBLISH, type, -1, Instant.now()));
		return noteAcknowledged(type, this.delegate.publishPromptly(group, key, value, checkedWithin));
	}

	private CompletableFuture<Long> noteAcknowledged(String type, CompletableFuture<Long> result) {
		result.whenComplete((offset, error) -> this.events
			.add(new Event(this.name, Kind.ACKNOWLEDGED, type, (offset != null) ? offset : -1, Instant.now())));
		return result;
	}

	@Override
	public Subscription subscribe(String group, long fromOffset, Duration progressInterval, LogListener listener) {
		return this.delegate.subscribe(group, fromOffset, progressInterval, new LogListener() {

			@Override
			public void onRecord(long offset, String key, byte[] value) {
				TimingTransport.this.events
					.add(new Event(TimingTransport.this.name, Kind.DELIVERED, type(value), offset, Instant.now()));
				listener.onRecord(offset, key, value);
			}

			@Override
			public void onProgress(long endOffset, long observedAtNanos) {
				listener.onProgress(endOffset, observedAtNanos);
			}

			@Override
			public void onError(Throwable error) {
				listener.onError(error);
			}

		});
	}

	private static String type(byte[] value) {
		if (value == null) {
			return "TOMBSTONE";
		}
		Matcher matcher = TYPE.matcher(new String(value, 0, Math.min(value.length, 64), StandardCharsets.UTF_8));
		return matcher.find() ? matcher.group(1) : "?";
	}

	/**
	 * What happened to a record.
	 */
	enum Kind {

		/** Handed to the transport by a watcher. */
		PUBLISH,

		/** Acknowledged by the broker. */
		ACKNOWLEDGED,

		/** Delivered to a watcher reading the log. */
		DELIVERED

	}

	/**
	 * One event.
	 *
	 * @param watcher the watcher whose transport saw it
	 * @param kind what happened
	 * @param type the record type
	 * @param offset the offset, or -1 if not known
	 * @param at when
	 */
	record Event(String watcher, Kind kind, String type, long offset, Instant at) {
	}

}
