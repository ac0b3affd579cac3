package dev.failover.core.internal.election;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.failover.core.RoleChange;
import dev.failover.core.internal.RateLimitedLog;
import dev.failover.core.wire.ProtocolRecord;
import dev.failover.core.wire.RecordType;

/**
 * The effects one event produces, in order, and the records this member writes: every
 * record is stamped with the highest epoch the member knows and its timing, for readers of
 * a compacted or replaced log and members with other settings.
 */
final class Output {

	/** What to do once a record asked for with a reference is written, or could not be. */
	interface FollowUp {

		/** The log acknowledged the record. */
		void acknowledged();

		/**
		 * The record could not be written.
		 * @param error why
		 */
		void failed(Throwable error);

		/** Returns a follow-up that only handles a failure. */
		static FollowUp onFailure(Consumer<Throwable> action) {
			return new FollowUp() {
				@Override
				public void acknowledged() {
				}

				@Override
				public void failed(Throwable error) {
					action.accept(error);
				}
			};
		}

		/** Returns a follow-up that runs the same action whatever the outcome (the error, or {@code null}). */
		static FollowUp always(Consumer<Throwable> action) {
			return new FollowUp() {
				@Override
				public void acknowledged() {
					action.accept(null);
				}

				@Override
				public void failed(Throwable error) {
					action.accept(error);
				}
			};
		}

	}

	private final Election election;

	private final RateLimitedLog rateLimited;

	private List<Effect> effects = new ArrayList<>();

	private long lastRef;

	private final Map<Long, FollowUp> followUps = new HashMap<>();

	Output(Election election, long warningWindow) {
		this.election = election;
		this.rateLimited = new RateLimitedLog(warningWindow);
	}

	/** Returns the effects collected so far and starts a new list. */
	List<Effect> drain() {
		List<Effect> drained = this.effects;
		this.effects = new ArrayList<>();
		return drained;
	}

	/** Returns a new reference for a callback whose return matters. */
	long nextRef() {
		return ++this.lastRef;
	}

	/** Returns a new reference for a publish whose outcome matters, and what to do on it. */
	long follow(FollowUp followUp) {
		long ref = nextRef();
		this.followUps.put(ref, followUp);
		return ref;
	}

	/** Returns (and forgets) what to do once the record published under a reference is written, or {@code null}. */
	FollowUp followUp(long ref) {
		return this.followUps.remove(ref);
	}

	void add(Effect effect) {
		this.effects.add(effect);
	}

	void info(String message) {
		add(new Effect.Log(Effect.Level.INFO, message, null));
	}

	void warn(String message) {
		add(new Effect.Log(Effect.Level.WARN, message, null));
	}

	void error(String message, Throwable error) {
		add(new Effect.Log(Effect.Level.ERROR, message, error));
	}

	/**
	 * Asks whether a repetitive warning may be written now.
	 * @return -1 to suppress it, else how many were suppressed since the last one
	 */
	long tryWarn(String key) {
		return this.rateLimited.tryLog(key, this.election.now);
	}

	void announce(RoleChange change) {
		add(new Effect.Announce(change));
	}

	/**
	 * Writes a record of this member: the group's election records and presence records
	 * carry its highest known epoch, lease and interval.
	 * @param ref the reference to report the outcome under, or 0
	 */
	void publish(long ref, ProtocolRecord unstamped) {
		publish(ref, unstamped, this.election.knownMaxEpoch());
	}

	/**
	 * Writes the notice of a lease that lapsed. It tells no epoch above its own: it ends an
	 * epoch whose lease is gone, and it may land in a log other than the one its writer read
	 * (a process paused across a topic replacement), where an epoch its writer had seen can
	 * have been claimed again by a member that never saw it; there, an older epoch's record
	 * telling of it would prove that claim lost (see {@link GroupLog}) and take the group's
	 * epoch back down. The writer's later records tell what it knows, once it has read the log.
	 */
	void publishLapseNotice(long epoch, String reason) {
		publish(0, record(RecordType.SHUTDOWN, epoch, 0, -1, reason, null, false, null, 0), epoch);
	}

	private void publish(long ref, ProtocolRecord unstamped, long maxEpoch) {
		Election e = this.election;
		ProtocolRecord record = unstamped.with(maxEpoch, unstamped.grantEpoch(),
				e.timings.lease / 1_000_000L, e.timings.interval / 1_000_000L);
		// the records a failover waits for: a claim, a notice (its successor, the members), a
		// new primary's first heartbeat (the members, the primary that left)
		boolean awaited = record.type() == RecordType.CLAIM || record.type() == RecordType.SHUTDOWN
				|| (record.type() == RecordType.HEARTBEAT && record.seq() == 1);
		add(new Effect.Publish(ref, record, awaited));
	}

	/** Deletes this member's presence from a compacted topic: a tombstone on its key. */
	void publishTombstone(long ref) {
		add(new Effect.Publish(ref, null, false));
	}

	/** Writes a record of the given type with the fields every record of this member carries. */
	ProtocolRecord record(RecordType type, long epoch, long seq, long basedOn, String reason, String successor,
			boolean leaving, String successorSession, long grantEpoch) {
		Election e = this.election;
		// a heartbeat or claim tells where this process answers probes: the primary's endpoint
		String probe = (type == RecordType.HEARTBEAT || type == RecordType.CLAIM) ? e.probe : null;
		return new ProtocolRecord(type, e.group, e.instanceId, e.session, epoch, seq, basedOn, this.election.wall,
				reason, successor, e.preferredRole, e.priority, e.enabled, leaving, successorSession, 0, grantEpoch, 0, 0,
				probe);
	}

	/** Writes a shutdown notice; a grant names the epoch it grants, so that every reader agrees on it. */
	void publishShutdown(long ref, long epoch, String successor, String reason, boolean leaving,
			String successorSession) {
		long grantEpoch = (successorSession != null) ? Math.max(epoch, this.election.knownMaxEpoch()) + 1 : 0;
		publish(ref, record(RecordType.SHUTDOWN, epoch, 0, -1, reason, successor, leaving, successorSession,
				grantEpoch));
	}

	/** Returns the wall-clock time now, in nanoseconds since the epoch. */
	static long wallNanos(Instant wall) {
		return wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
	}

}
