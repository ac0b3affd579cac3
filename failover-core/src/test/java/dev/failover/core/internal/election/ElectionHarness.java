package dev.failover.core.internal.election;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.failover.core.FailoverConfig;
import dev.failover.core.RejectReason;
import dev.failover.core.Role;
import dev.failover.core.RoleChange;
import dev.failover.core.wire.DecodeResult;
import dev.failover.core.wire.ProtocolRecord;
import dev.failover.core.wire.RecordCodec;
import dev.failover.core.wire.RecordType;

/**
 * One member's {@link Election} fed by hand: events go in at a time the test sets, effects
 * come out, and the log is played by the test (this member's records are read back only
 * when the test says so, other members' records are written by the test). Timers fire as
 * the test advances time, as the runner would fire them.
 */
final class ElectionHarness {

	/** Interval 1 s, timeout 3 s, margin 600 ms (lease 2.4 s), no stagger: the timings the tests reason with. */
	static final FailoverConfig CONFIG = FailoverConfig.builder()
		.enabled(true)
		.heartbeatInterval(Duration.ofSeconds(1))
		.heartbeatTimeout(Duration.ofSeconds(3))
		.claimStagger(Duration.ZERO)
		.build();

	static final String GROUP = "orders";

	static final String SESSION = "5e55104";

	private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

	private final RecordCodec codec = new RecordCodec(64 * 1024, null);

	final Election election;

	final String id;

	/** Where this member's process answers probes, or {@code null}. */
	private final String probe;

	private long now = 1_000_000_000L;

	/** How far the wall clock has run ahead of the monotonic one. */
	private long wallAhead;

	private long timerAt = Long.MAX_VALUE;

	private long nextOffset;

	/** Records this member published and the test has not delivered yet, with their references. */
	private final List<Effect.Publish> unread = new ArrayList<>();

	/** Every effect so far, in order. */
	final List<Effect> effects = new ArrayList<>();

	/** The effects of the last event handled (or, after an advance, of the ticks in it). */
	List<Effect> last = List.of();

	final List<String> counted = new ArrayList<>();

	ElectionHarness(String id, FailoverConfig config, boolean promoteCallback, boolean demoteCallback) {
		this(id, config, promoteCallback, demoteCallback, null);
	}

	ElectionHarness(String id, FailoverConfig config, boolean promoteCallback, boolean demoteCallback, String probe) {
		this.id = id;
		this.probe = probe;
		this.election = new Election(GROUP, id, config, new SplittableRandom(7), counters(), promoteCallback,
				demoteCallback);
	}

	ElectionHarness(String id) {
		this(id, CONFIG, false, false);
	}

	private ElectionCounters counters() {
		return new ElectionCounters() {
			@Override
			public void heartbeatSent() {
				ElectionHarness.this.counted.add("heartbeat-sent");
			}

			@Override
			public void heartbeatReceived() {
				ElectionHarness.this.counted.add("heartbeat-received");
			}

			@Override
			public void claimSent() {
				ElectionHarness.this.counted.add("claim-sent");
			}

			@Override
			public void claimWon() {
				ElectionHarness.this.counted.add("claim-won");
			}

			@Override
			public void promoted() {
				ElectionHarness.this.counted.add("promoted");
			}

			@Override
			public void demoted() {
				ElectionHarness.this.counted.add("demoted");
			}

			@Override
			public void rejected(RejectReason reason) {
				ElectionHarness.this.counted.add("rejected-" + reason.tag());
			}
		};
	}

	// ---- time

	long nowNanos() {
		return this.now;
	}

	long millis() {
		return this.now / 1_000_000L;
	}

	Instant wall() {
		return EPOCH.plusNanos(this.now + this.wallAhead);
	}

	/** Moves time on, firing the timer wherever it falls due, as the runner would. */
	ElectionHarness advance(Duration duration) {
		long target = this.now + duration.toNanos();
		List<Effect> ticks = new ArrayList<>();
		while (this.timerAt <= target) {
			this.now = Math.max(this.now, this.timerAt);
			this.timerAt = Long.MAX_VALUE;
			ticks.addAll(handle(new Event.Tick()));
		}
		this.now = target;
		this.last = ticks;
		return this;
	}

	/**
	 * Moves time on over a healthy log: the timer fires where it falls due, and every record
	 * this member publishes is read back at once.
	 */
	ElectionHarness live(Duration duration) {
		long target = this.now + duration.toNanos();
		List<Effect> seen = new ArrayList<>();
		while (this.now < target) {
			long step = Math.min(target - this.now, 50_000_000L);
			advance(Duration.ofNanos(step));
			seen.addAll(this.last);
			int before = this.effects.size();
			readBackOwn();
			seen.addAll(this.effects.subList(before, this.effects.size()));
		}
		this.last = seen;
		return this;
	}

	/** Moves time on without firing the timer: the loop was late, or the process paused. */
	void jump(Duration duration) {
		this.now += duration.toNanos();
	}

	/** Steps the wall clock (a suspend, or NTP), without the monotonic clock seeing it. */
	void stepWallClock(Duration ahead) {
		this.wallAhead += ahead.toNanos();
	}

	// ---- events

	List<Effect> handle(Event event) {
		List<Effect> out = this.election.handle(event, this.now, wall());
		for (Effect effect : out) {
			if (effect instanceof Effect.SetTimer timer) {
				this.timerAt = timer.at();
			}
			else if (effect instanceof Effect.Publish publish) {
				this.unread.add(publish);
			}
		}
		this.effects.addAll(out);
		this.last = out;
		return out;
	}

	/** Starts and catches up with an empty log; its first presence record is not read back yet. */
	ElectionHarness join() {
		handle(new Event.Start(SESSION, true, this.probe));
		handle(new Event.Progress(this.nextOffset, this.now));
		return this;
	}

	/** Delivers every record this member published so far, acknowledging them first. */
	ElectionHarness readBackOwn() {
		List<Effect.Publish> pending = new ArrayList<>(this.unread);
		this.unread.clear();
		List<Effect> seen = new ArrayList<>();
		for (Effect.Publish publish : pending) {
			long offset = this.nextOffset++;
			if (publish.ref() != 0) {
				seen.addAll(handle(new Event.Published(publish.ref(), offset)));
			}
			if (publish.record() != null) {
				seen.addAll(handle(new Event.RecordRead(offset, decode(publish.record()))));
			}
		}
		this.last = seen;
		return this;
	}

	/** Loses every record this member published so far: none is ever read back. */
	void loseOwn() {
		this.unread.clear();
	}

	/** Delivers another member's record. */
	ElectionHarness read(ProtocolRecord record) {
		handle(new Event.RecordRead(this.nextOffset++, decode(record)));
		return this;
	}

	/** Delivers another member's record at an offset the test chooses (a log that went back). */
	ElectionHarness readAt(long offset, ProtocolRecord record) {
		handle(new Event.RecordRead(offset, decode(record)));
		this.nextOffset = Math.max(this.nextOffset, offset + 1);
		return this;
	}

	/** Delivers a record that could not be verified. */
	ElectionHarness readUnverified(ProtocolRecord record) {
		handle(new Event.RecordRead(this.nextOffset++,
				new DecodeResult(null, RejectReason.BAD_SIGNATURE, "signed with another key", record)));
		return this;
	}

	/** Skips an offset, as if another member's record had been delivered (it makes no difference). */
	long offset() {
		return this.nextOffset;
	}

	private DecodeResult decode(ProtocolRecord record) {
		return this.codec.decode(this.codec.encode(record));
	}

	// ---- what came out

	/** The records this member published and the test has not delivered yet. */
	List<ProtocolRecord> unread() {
		return this.unread.stream().map(Effect.Publish::record).toList();
	}

	/** The writes among some effects, tombstones included. */
	static List<Effect.Publish> publishes(List<Effect> effects) {
		return effects.stream().filter(Effect.Publish.class::isInstance).map(Effect.Publish.class::cast).toList();
	}

	List<ProtocolRecord> published(List<Effect> effects, RecordType type) {
		return publishes(effects).stream()
			.map(Effect.Publish::record)
			.filter((record) -> record != null && record.type() == type)
			.toList();
	}

	List<ProtocolRecord> published(RecordType type) {
		return published(this.effects, type);
	}

	List<RoleChange> announced(List<Effect> effects) {
		return effects.stream()
			.filter(Effect.Announce.class::isInstance)
			.map((effect) -> ((Effect.Announce) effect).change())
			.toList();
	}

	List<RoleChange> announced() {
		return announced(this.effects);
	}

	Phase phase() {
		return this.election.phase();
	}

	boolean isPrimaryNow() {
		return this.election.snapshot().isPrimaryAt(this.now, Output.wallNanos(wall()));
	}

	// ---- other members' records

	/** A record of another member, stamped with the timing of {@link #CONFIG}. */
	static ProtocolRecord record(RecordType type, String id, String session, long epoch, long seq) {
		return new ProtocolRecord(type, GROUP, id, session, epoch, seq, -1, Instant.EPOCH, null, null, Role.SECONDARY,
				0, true, false).with(epoch, 0, 2400, 1000);
	}

	/** The same record, from a member that prefers another role. */
	static ProtocolRecord preferring(Role role, ProtocolRecord r) {
		return new ProtocolRecord(r.type(), r.group(), r.instanceId(), r.session(), r.epoch(), r.seq(),
				r.basedOnOffset(), r.sentAt(), r.reason(), r.successor(), role, r.priority(), r.enabled(), r.leaving(),
				r.successorSession(), r.maxEpoch(), r.grantEpoch(), r.leaseMillis(), r.intervalMillis());
	}

	static ProtocolRecord heartbeat(String id, long epoch, long seq) {
		return record(RecordType.HEARTBEAT, id, id + "-s", epoch, seq);
	}

	static ProtocolRecord claim(String id, long epoch, long basedOn) {
		return new ProtocolRecord(RecordType.CLAIM, GROUP, id, id + "-s", epoch, 1, basedOn, Instant.EPOCH, "silent",
				null, Role.SECONDARY, 0, true, false).with(epoch - 1, 0, 2400, 1000);
	}

	static ProtocolRecord standby(String id, long epoch, long seq) {
		return record(RecordType.STANDBY, id, id + "-s", epoch, seq);
	}

	/** A notice of a primary that steps down (or whose lease lapsed) and stays in the group. */
	static ProtocolRecord notice(String id, long epoch) {
		return new ProtocolRecord(RecordType.SHUTDOWN, GROUP, id, id + "-s", epoch, 0, -1, Instant.EPOCH, "step-down",
				null, Role.SECONDARY, 0, true, false, null, epoch, 0, 2400, 1000);
	}

	/** A notice of a primary that leaves the group, granting its role if a successor's session is given. */
	static ProtocolRecord shutdown(String id, long epoch, String successor, String successorSession) {
		return new ProtocolRecord(RecordType.SHUTDOWN, GROUP, id, id + "-s", epoch, 0, -1, Instant.EPOCH, "leaving",
				successor, Role.SECONDARY, 0, true, true, successorSession, epoch,
				(successorSession != null) ? epoch + 1 : 0, 2400, 1000);
	}

}
