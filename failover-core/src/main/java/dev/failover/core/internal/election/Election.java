package dev.failover.core.internal.election;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

import dev.failover.core.Durations;
import dev.failover.core.FailoverConfig;
import dev.failover.core.Member;
import dev.failover.core.Role;
import dev.failover.core.RoleChange;
import dev.failover.core.RoleChange.Cause;
import dev.failover.core.wire.RecordType;

/**
 * The election of one member, as a state machine: {@link #handle} takes one {@link Event}
 * at a time, at a time given with it, and returns the {@link Effect}s to carry out, in
 * order. It reads no clock, starts no thread, writes no log and knows no transport: the
 * timing rules of docs/PROTOCOL.md are decided here and nowhere else, so that tests can feed
 * it events and read its effects.
 * <p>
 * Its state is grouped by concern: the fold of the log ({@link GroupLog}), the members
 * ({@link MemberTable}), what this member knows of the log and since when ({@link View}),
 * the epoch it acts at and its lease ({@link Acting}), its claims ({@link Claiming}), and
 * a step-down or close in progress ({@link Leaving}); {@link Reading} applies what the
 * log delivers. The phase ({@link Phase}) moves only through {@link #moveTo}.
 * <p>
 * Not thread-safe: owned by one event loop.
 */
public final class Election {

	final String group;

	final String instanceId;

	final Role preferredRole;

	final int priority;

	final Timings timings;

	final ElectionCounters counters;

	final boolean hasPromoteCallback;

	final boolean hasDemoteCallback;

	final MemberTable members;

	final View view = new View();

	final Output out;

	final Reading reading;

	final Acting acting;

	final Claiming claiming;

	final Leaving leaving;

	GroupLog log;

	Phase phase = Phase.OFFLINE;

	String session;

	/** Where this member's process answers probes, or {@code null} with the probe off. */
	String probe;

	/** The probe endpoint watched now ({@code address instance session}), or {@code null}. */
	private String watching;

	boolean enabled;

	long nextStandbyAt;

	/** The time of the event being handled, on the monotonic clock. */
	long now;

	/** The time of the event being handled, on the wall clock. */
	Instant wall;

	/**
	 * Creates the election of one member.
	 * @param group the group
	 * @param instanceId this member's id
	 * @param config its configuration
	 * @param random where back-off jitter comes from
	 * @param counters what counts its actions
	 * @param hasPromoteCallback whether a promote callback runs before it is primary
	 * @param hasDemoteCallback whether a demote callback runs before its shutdown notice
	 */
	public Election(String group, String instanceId, FailoverConfig config, RandomGenerator random,
			ElectionCounters counters, boolean hasPromoteCallback, boolean hasDemoteCallback) {
		this.group = group;
		this.instanceId = instanceId;
		this.preferredRole = config.role();
		this.priority = config.priority();
		this.enabled = config.enabled();
		this.timings = Timings.of(config);
		this.counters = counters;
		this.hasPromoteCallback = hasPromoteCallback;
		this.hasDemoteCallback = hasDemoteCallback;
		this.log = new GroupLog(group);
		this.members = new MemberTable(instanceId, config.role(), config.priority(), this.timings);
		this.out = new Output(this, this.timings.warningWindow);
		this.reading = new Reading(this);
		this.acting = new Acting(this);
		this.claiming = new Claiming(this, random);
		this.leaving = new Leaving(this);
	}

	/**
	 * Handles one event.
	 * @param event what happened
	 * @param nowNanos when, on the monotonic clock
	 * @param wallNow when, on the wall clock
	 * @return what to do, in order
	 */
	public List<Effect> handle(Event event, long nowNanos, Instant wallNow) {
		this.now = nowNanos;
		this.wall = wallNow;
		if (this.phase == Phase.CLOSED) {
			// nothing happens any more; a request is answered as if there were nothing to do
			if (event instanceof Event.Close close) {
				this.out.add(new Effect.Complete(close.request(), false, null));
			}
			else if (event instanceof Event.StepDown stepDown) {
				this.out.add(new Effect.Complete(stepDown.request(), false, null));
			}
			return this.out.drain();
		}
		if (dispatch(event)) {
			afterEvent();
		}
		return this.out.drain();
	}

	/** Hands an event to the part of the election it concerns; returns whether to look at the timers again. */
	private boolean dispatch(Event event) {
		if (event instanceof Event.RecordRead read) {
			return this.reading.recordRead(read.offset(), read.decoded());
		}
		if (event instanceof Event.Progress progress) {
			return this.reading.progress(progress.endOffset());
		}
		if (event instanceof Event.Tick) {
			return true;
		}
		if (event instanceof Event.Published published) {
			return followUp(published.ref(), null);
		}
		if (event instanceof Event.PublishFailed failed) {
			return publishFailed(failed);
		}
		if (event instanceof Event.MemberDeleted deleted) {
			return this.reading.memberDeleted(deleted.offset(), deleted.instanceId());
		}
		if (event instanceof Event.LogReplaced replaced) {
			return this.reading.logReplaced(replaced.reason());
		}
		if (event instanceof Event.ReadFailed failed) {
			return this.reading.readFailed(failed.error());
		}
		return command(event);
	}

	/** Hands a command or a callback's return to the election. */
	private boolean command(Event event) {
		if (event instanceof Event.Start start) {
			this.probe = start.probe();
			return start(start.session(), start.enabled());
		}
		if (event instanceof Event.ProcessGone gone) {
			return this.claiming.processGone(gone.instanceId(), gone.session());
		}
		if (event instanceof Event.StepDown stepDown) {
			String successor = stepDown.successor();
			this.leaving.stepDown(stepDown.request(), successor, Cause.STEPPED_DOWN,
					(successor != null) ? "switchover to '" + successor + "' requested" : "step-down requested");
			return true;
		}
		if (event instanceof Event.Close close) {
			this.leaving.close(close.request());
			return true;
		}
		if (event instanceof Event.EnabledChanged changed) {
			return enabledChanged(changed.enabled());
		}
		if (event instanceof Event.PromoteDone done) {
			this.acting.promoteDone(done.epoch(), done.error());
			return true;
		}
		if (event instanceof Event.DemoteDone done) {
			this.leaving.demoteDone(done.token());
			return false;
		}
		throw new IllegalArgumentException("Unknown event " + event);
	}

	private boolean start(String newSession, boolean enabledNow) {
		this.session = newSession;
		this.enabled = enabledNow;
		moveTo(Phase.JOINING);
		this.out.info("Instance '" + this.instanceId + "' joining failover group '" + this.group + "' (heartbeat every "
				+ Durations.formatNanos(this.timings.interval) + ", timeout "
				+ Durations.formatNanos(this.timings.timeout) + ", lease " + Durations.formatNanos(this.timings.lease)
				+ ")");
		return true;
	}

	private boolean enabledChanged(boolean newValue) {
		this.enabled = newValue;
		this.out.info("Automatic failover " + (newValue ? "enabled" : "disabled") + " for instance '" + this.instanceId
				+ "' of group '" + this.group + "'");
		this.claiming.rearmDisabledWarning();
		return true;
	}

	private boolean publishFailed(Event.PublishFailed failed) {
		if (this.out.tryWarn("publish-" + failed.type()) >= 0) {
			this.out.warn("Instance '" + this.instanceId + "' could not write a " + failed.type() + " record to group '"
					+ this.group + "': " + failed.error());
		}
		return followUp(failed.ref(), failed.error());
	}

	private boolean followUp(long ref, Throwable error) {
		Output.FollowUp followUp = (ref != 0) ? this.out.followUp(ref) : null;
		if (followUp == null) {
			return false;
		}
		if (error == null) {
			followUp.acknowledged();
		}
		else {
			followUp.failed(error);
		}
		// a claim given up backs off, a leaving member waits for its successor: new timers
		return this.phase != Phase.CLOSED;
	}

	/**
	 * Looks at every timer after an event: the lease, heartbeats, presence, claims, a notice
	 * waiting for its callback, a takeover being waited for; asks for the next tick, and
	 * publishes the state.
	 */
	private void afterEvent() {
		this.acting.expireIfLapsed();
		this.acting.heartbeatIfDue();
		boolean standingBy = this.phase.isCaughtUp() && !this.phase.isActing() && !this.leaving.closing;
		if (standingBy && this.now >= this.nextStandbyAt) {
			publishStandby(0, false);
			this.nextStandbyAt = this.now + this.timings.interval;
		}
		long claimAt = this.claiming.claimIfDue();
		long next = this.claiming.expireClaims();
		this.members.prune(this.now);
		next = Math.min(next, this.leaving.checkDeadlines());
		if (this.phase.isActing()) {
			next = Math.min(next, Math.min(this.acting.leaseExpiry, this.acting.nextHeartbeatAt));
		}
		if (this.phase.isCaughtUp() && !this.phase.isActing() && !this.leaving.closing) {
			next = Math.min(next, this.nextStandbyAt);
		}
		if (claimAt > this.now) {
			next = Math.min(next, claimAt);
		}
		this.out.add(new Effect.SetTimer(next));
		watchProbe();
		this.out.add(new Effect.PublishState());
	}

	/**
	 * Watches the probe endpoint of the group's primary while this member stands by, and
	 * stops when there is none to watch (no primary, a vacant or granted epoch, a primary
	 * that announced none, or this member acting or leaving).
	 */
	private void watchProbe() {
		if (this.probe == null) {
			return;
		}
		boolean wanted = this.phase.isCaughtUp() && !this.phase.isActing() && !this.leaving.closing
				&& this.log.hasPrimary() && !this.log.isGranted() && this.log.primaryProbe() != null
				&& !this.session.equals(this.log.primarySession());
		String target = wanted ? this.log.primaryProbe() + " " + this.log.primaryId() + " " + this.log.primarySession()
				: null;
		if (Objects.equals(target, this.watching)) {
			return;
		}
		this.watching = target;
		this.out.add(wanted ? new Effect.WatchProbe(this.log.primaryProbe(), this.log.primaryId(),
				this.log.primarySession()) : new Effect.WatchProbe(null, null, null));
	}

	/** Writes a presence record, and remembers when, to recognise it when it is read back. */
	void publishStandby(long ref, boolean leavingGroup) {
		long seq = this.view.standbySent(this.now, Output.wallNanos(this.wall), this.timings.timeout);
		this.out.publish(ref, this.out.record(RecordType.STANDBY, this.log.epoch(), seq, -1,
				leavingGroup ? "leaving" : null, null, leavingGroup, null, 0));
	}

	/** Moves to another phase; an illegal move is a bug of the election, and fails loudly. */
	void moveTo(Phase target) {
		if (this.phase != target && !this.phase.canMoveTo(target)) {
			throw new IllegalStateException("Election of '" + this.instanceId + "' cannot move from " + this.phase
					+ " to " + target);
		}
		this.phase = target;
	}

	/** The highest epoch this member knows to be taken: in the log, or in a log replaced since. */
	long knownMaxEpoch() {
		return Math.max(this.log.maxEpoch(), this.view.epochFloor);
	}

	/**
	 * Counts, logs and returns a demotion: dated when this member stopped acting (for a lapsed
	 * lease, at its end). The caller announces it.
	 */
	RoleChange demotion(long epoch, Cause cause, String reason, boolean info, long actedUntil) {
		this.counters.demoted();
		String line = "Instance '" + this.instanceId + "' is no longer primary of group '" + this.group + "' (epoch "
				+ epoch + "): " + reason;
		if (info) {
			this.out.info(line);
		}
		else {
			this.out.warn(line);
		}
		return new RoleChange(this.instanceId, this.group, Role.PRIMARY, Role.SECONDARY, epoch, cause, reason,
				this.acting.wallAt(actedUntil), null);
	}

	/** Announces a demotion, after the demote callback if there is one. */
	void demoted(long epoch, Cause cause, String reason, boolean info, long actedUntil) {
		RoleChange change = demotion(epoch, cause, reason, info, actedUntil);
		if (this.hasDemoteCallback) {
			this.out.add(new Effect.RunDemote(epoch, 0));
		}
		this.out.announce(change);
	}

	/** Ends this member's part in the election for good. */
	void terminate(long closeRequest) {
		moveTo(Phase.CLOSED);
		if (this.watching != null) {
			this.watching = null;
			this.out.add(new Effect.WatchProbe(null, null, null));
		}
		this.acting.leaseExpiry = Long.MIN_VALUE;
		this.out.add(new Effect.SetTimer(Long.MAX_VALUE));
		this.out.add(new Effect.PublishState());
		this.out.add(new Effect.Terminate());
		this.out.info("Instance '" + this.instanceId + "' left failover group '" + this.group + "'");
		this.out.add(new Effect.Complete(closeRequest, false, null));
	}

	/**
	 * Returns the member's state as other threads see it.
	 * @return an immutable snapshot
	 */
	public Snapshot snapshot() {
		return Snapshot.of(this);
	}

	/**
	 * Returns the phase.
	 * @return where the member is in the election
	 */
	public Phase phase() {
		return this.phase;
	}

	/**
	 * Returns how often the transport should confirm the end of the log.
	 * @return the interval in nanoseconds
	 */
	public long progressNanos() {
		return this.timings.progress;
	}

}
