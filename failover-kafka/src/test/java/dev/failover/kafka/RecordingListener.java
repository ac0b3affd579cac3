package dev.failover.kafka;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.failover.core.spi.LogListener;

/**
 * A {@link LogListener} that records everything it hears, and checks as it goes that
 * progress is only reported once every record before it has been delivered.
 */
class RecordingListener implements LogListener {

	final List<Received> records = new CopyOnWriteArrayList<>();

	final List<Long> progress = new CopyOnWriteArrayList<>();

	/** For each progress report, how long after the moment it vouches for it arrived. */
	final List<Long> progressLagNanos = new CopyOnWriteArrayList<>();

	final List<Throwable> errors = new CopyOnWriteArrayList<>();

	/** The reasons of {@link #onLogReplaced(String)}, in order. */
	final List<String> replaced = new CopyOnWriteArrayList<>();

	/** Everything heard, in order: {@code record <offset>}, {@code progress <end>}, {@code replaced <reason>}. */
	final List<String> events = new CopyOnWriteArrayList<>();

	final List<String> violations = new CopyOnWriteArrayList<>();

	private final boolean everyRecordIsOurs;

	private volatile long nextExpected = -1;

	private volatile int progressSinceReplaced;

	/**
	 * Creates a listener.
	 * @param everyRecordIsOurs whether every record of the partition belongs to the group, so
	 * that a progress report of {@code end} must follow the delivery of offset {@code end - 1}
	 */
	RecordingListener(boolean everyRecordIsOurs) {
		this.everyRecordIsOurs = everyRecordIsOurs;
	}

	@Override
	public void onRecord(long offset, String key, byte[] value) {
		if (this.nextExpected >= 0 && offset < this.nextExpected) {
			this.violations.add("offset " + offset + " delivered after " + (this.nextExpected - 1));
		}
		this.nextExpected = offset + 1;
		this.records.add(new Received(offset, key, value));
		this.events.add("record " + offset);
	}

	@Override
	public void onProgress(long endOffset, long observedAtNanos) {
		if (this.everyRecordIsOurs && endOffset > 0 && this.nextExpected < endOffset) {
			this.violations.add("progress " + endOffset + " reported when only offsets before " + this.nextExpected
					+ " were delivered");
		}
		if (this.progress.size() > this.progressSinceReplaced
				&& endOffset < this.progress.get(this.progress.size() - 1)) {
			this.violations.add("progress went back to " + endOffset);
		}
		this.progress.add(endOffset);
		this.progressLagNanos.add(System.nanoTime() - observedAtNanos);
		this.events.add("progress " + endOffset);
	}

	@Override
	public void onLogReplaced(String reason) {
		// offsets start again: nothing before this call constrains what follows
		this.nextExpected = -1;
		this.progressSinceReplaced = this.progress.size();
		this.replaced.add(reason);
		this.events.add("replaced " + reason);
	}

	@Override
	public void onError(Throwable error) {
		this.errors.add(error);
	}

	long lastProgress() {
		return this.progress.isEmpty() ? -1 : this.progress.get(this.progress.size() - 1);
	}

	List<String> keys() {
		return this.records.stream().map(Received::key).toList();
	}

	List<Long> offsets() {
		return this.records.stream().map(Received::offset).toList();
	}

	/** The events after the last {@code replaced} one (all of them if there is none). */
	List<String> eventsSinceReplaced() {
		List<String> all = List.copyOf(this.events);
		for (int i = all.size() - 1; i >= 0; i--) {
			if (all.get(i).startsWith("replaced ")) {
				return all.subList(i + 1, all.size());
			}
		}
		return all;
	}

	/** A delivered record. */
	record Received(long offset, String key, byte[] value) {

		String text() {
			return (this.value != null) ? new String(this.value, java.nio.charset.StandardCharsets.UTF_8) : null;
		}

	}

}
