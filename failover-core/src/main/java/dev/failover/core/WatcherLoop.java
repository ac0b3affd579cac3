package dev.failover.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

import dev.failover.core.RoleChange.Cause;
import dev.failover.core.internal.Durations;
import dev.failover.core.internal.GroupLog;
import dev.failover.core.internal.RateLimitedLog;
import dev.failover.core.record.DecodeResult;
import dev.failover.core.record.ProtocolRecord;
import dev.failover.core.record.RecordCodec;
import dev.failover.core.record.RecordType;
import dev.failover.core.record.RejectReason;
import dev.failover.core.time.Cancellable;
import dev.failover.core.time.EventLoop;
import dev.failover.core.time.FailoverClock;
import dev.failover.core.transport.LogListener;
import dev.failover.core.transport.Subscription;
import dev.failover.core.transport.Transport;

/**
 * The state machine of one watcher. Every field below the constructor's is owned by the
 * event loop: records, progress, acknowledgements, timers and commands all arrive as tasks
 * on it. Other threads see the state only through the immutable {@link Snapshot} published
 * after each task, and reach the callbacks only through the callback loop.
 */
final class WatcherLoop {

	private static final Logger LOGGER = LoggerFactory.getLogger(Watcher.class);

	/** Where the watcher is in its life and in the election. */
	enum Phase {

		/** Not reading the log: before start, or failover never enabled (static role). */
		OFFLINE,

		/** Reading the log's history; takes no action until caught up. */
		JOINING,

		/** Caught up and standing by. */
		SECONDARY,

		/** A claim has been written; waiting to read it back. */
		CLAIMING,

		/** Won an epoch; heartbeating while the promote callback runs. Not yet primary. */
		PROMOTING,

		/** Primary (as long as the lease lasts). */
		PRIMARY,

		/** Closed for good. */
		CLOSED

	}

	/** The watcher's logger, or a silent one for a {@linkplain HandoverRehearsal rehearsal}. */
	private final Logger logger;

	private final String group;

	private final String instanceId;

	/** Drawn when the watcher connects, not when it is built: see {@link #connect(Role)}. */
	private volatile String session;

	private final java.util.function.Supplier<String> sessions;

	private final FailoverConfig config;

	private final Transport transport;

	private final FailoverClock clock;

	private final RandomGenerator random;

	private final RecordCodec codec;

	private final RoleCallback onPromote;

	private final RoleCallback onDemote;

	private final WatcherStats stats;

	private final List<Registration> listeners = new CopyOnWriteArrayList<>();

	private final long intervalNanos;

	private final long timeoutNanos;

	private final long leaseNanos;

	private final long progressNanos;

	private final long freshnessNanos;

	/** How long a granted successor may act on the grant alone, from its last confirmed view. */
	private final long grantLeaseNanos;

	/** How long secondaries wait for a granted successor's first heartbeat before claiming. */
	private final long handoverNanos;

	private volatile boolean enabled;

	/** Set by a step-down request before the loop sees it, so the caller stops acting at once. */
	private volatile boolean relinquishing;

	private volatile Snapshot snapshot;

	private volatile EventLoop loop;

	private volatile EventLoop callbacks;

	// ---- owned by the loop

	private GroupLog log;

	private final MemberTable members;

	private final NavigableMap<Long, Sent> pendingHeartbeats = new TreeMap<>();

	/** Presence records written and not yet read back: send time by sequence number. */
	private final NavigableMap<Long, Sent> pendingStandbys = new TreeMap<>();

	private long standbySeq;

	private final RateLimitedLog rateLimited;

	private Phase phase = Phase.OFFLINE;

	private boolean closing;

	/**
	 * While leaving after handing the role over: completes once the successor's first record
	 * of the new epoch is read (or when the wait is given up), so that the leaving process
	 * goes on shutting down only once the successor has taken over.
	 */
	private PendingTakeover pendingTakeover;

	private Subscription subscription;

	private boolean caughtUp;

	private long joinedAt;

	private long lastProgressAt = Long.MIN_VALUE;

	/**
	 * When this instance last read back one of its own records, and when that record was
	 * sent: every record after it was appended after that send. Only such a read confirms a
	 * view for claims and grants; an end offset from the broker may be stale (a partition
	 * leader cut off from the cluster answers with its own), a record of ours read back is not.
	 */
	private long lastConfirmedAt = Long.MIN_VALUE;

	private Sent lastConfirmedSent;

	/** The highest epoch of logs replaced under this instance, or that it acted at: its claims and grants go above it. */
	private long epochFloor;

	/** When the log was last found replaced or truncated: claims wait a full silence after it. */
	private long replacedAt = Long.MIN_VALUE;

	/** When a record that could not be verified (another signing key, or none) was last read. */
	private long unverifiedAt = Long.MIN_VALUE;

	/** The longest lease announced by such a record, in nanoseconds. */
	private long unverifiedLeaseNanos;

	/** Where the lease was last renewed from: the send of the renewing record, on both clocks. */
	private Sent leaseAnchor;

	private long progressEnd;

	private long lastOffsetRead = -1;

	private long lastSignAt;

	private Instant lastHeartbeat;

	private long vacantSince;

	private long leaseExpiry = Long.MIN_VALUE;

	private long nextSeq;

	private long nextHeartbeatAt;

	private long nextStandbyAt;

	/** Claims written and not yet settled, by their sequence number within this session. */
	private final NavigableMap<Long, ClaimAttempt> pendingClaims = new TreeMap<>();

	private long claimSeq;


	private ClaimAttempt wonClaim;

	private long backoffUntil = Long.MIN_VALUE;

	private int failures;

	private boolean warnedDisabled;

	private Cancellable timer = Cancellable.NONE;

	private long timerAt = Long.MAX_VALUE;

	WatcherLoop(String group, String instanceId, java.util.function.Supplier<String> sessions, FailoverConfig config,
			Transport transport,
			FailoverClock clock, RandomGenerator random, RoleCallback onPromote, RoleCallback onDemote,
			WatcherStats stats, boolean quiet) {
		this.logger = quiet ? NOPLogger.NOP_LOGGER : LOGGER;
		this.group = group;
		this.instanceId = instanceId;
		this.sessions = sessions;
		this.config = config;
		this.transport = transport;
		this.clock = clock;
		this.random = random;
		this.onPromote = onPromote;
		this.onDemote = onDemote;
		this.stats = stats;
		this.codec = new RecordCodec(config.maxRecordSize(), config.signingKey(), config.acceptedSigningKeys(),
				config.acceptUnsigned());
		this.enabled = config.enabled();
		this.intervalNanos = config.heartbeatInterval().toNanos();
		this.timeoutNanos = config.heartbeatTimeout().toNanos();
		this.leaseNanos = config.lease().toNanos();
		// the view of the log is confirmed by reading back this instance's own records, one per
		// interval; the transport's own confirmation is a fallback (and how a joiner catches up),
		// needed no more often than that
		this.progressNanos = Math.max(10_000_000L, this.intervalNanos);
		// a claim needs a view of the log confirmed this recently: two intervals cover one
		// missed or late confirmation; a floor keeps a short interval from demanding more than
		// a broker round trip can give under load
		this.freshnessNanos = Math.max(250_000_000L, 2 * this.intervalNanos);
		// the successor's grant lease runs from a moment before the grant was written (its last
		// confirmed view, at most about an interval old, so half an interval is left at least);
		// the others wait that plus the lease margin, so the grant lease always ends first, and
		// they never wait longer than for a silent primary
		this.grantLeaseNanos = Math.min(this.intervalNanos + this.intervalNanos / 2, this.leaseNanos);
		this.handoverNanos = this.grantLeaseNanos + config.leaseMargin().toNanos();
		this.rateLimited = new RateLimitedLog(10_000_000_000L);
		this.log = new GroupLog(group);
		this.members = new MemberTable(instanceId, config.role(), config.priority(), this.intervalNanos,
				this.timeoutNanos);
		this.snapshot = Snapshot.offline();
	}

	// ---- called from any thread

	/** Whether this loop logs nothing about its role changes (a rehearsal's). */
	boolean isQuiet() {
		return this.logger == NOPLogger.NOP_LOGGER;
	}

	Snapshot snapshot() {
		return this.snapshot;
	}

	boolean isEnabled() {
		return this.enabled;
	}

	void addListener(RoleChangeListener listener, Executor executor) {
		this.listeners.add(new Registration(Objects.requireNonNull(listener, "listener"), executor));
	}

	void removeListener(RoleChangeListener listener) {
		this.listeners.removeIf((registration) -> registration.listener == listener);
	}

	/** Creates the loops and starts reading the log; failover is (being) enabled. */
	synchronized void connect(Role staticRole) {
		if (this.loop != null) {
			return;
		}
		// a session drawn now, not when the bean was built: two processes restored from one
		// snapshot (CRaC, a VM image) must not share it, or each takes the other's claims
		this.session = this.sessions.get();
		this.callbacks = this.clock.newEventLoop("failover-callbacks-" + this.instanceId);
		this.loop = this.clock.newEventLoop("failover-" + this.group + "-" + this.instanceId);
		if (staticRole == Role.PRIMARY) {
			Instant now = this.clock.instant();
			notifyListeners(new RoleChange(this.instanceId, this.group, Role.PRIMARY, Role.SECONDARY, 0,
					Cause.FAILOVER_ENABLED, "failover enabled: joining group '" + this.group + "' as a secondary", now,
					null));
		}
		this.loop.execute(this::subscribe);
	}

	boolean isConnected() {
		return this.loop != null;
	}

	void setEnabled(boolean enabled) {
		boolean previous = this.enabled;
		this.enabled = enabled;
		EventLoop current = this.loop;
		if (current != null && previous != enabled) {
			current.execute(() -> {
				logger.info("Automatic failover {} for instance '{}' of group '{}'", enabled ? "enabled" : "disabled",
						this.instanceId, this.group);
				this.warnedDisabled = false;
				afterEvent();
			});
		}
	}

	boolean isRelinquishing() {
		return this.relinquishing;
	}

	CompletableFuture<Boolean> stepDown(String successor) {
		if (this.loop != null) {
			this.relinquishing = true;
		}
		return onLoop(() -> stepDownOnLoop(successor, Cause.STEPPED_DOWN, false,
				(successor != null) ? "switchover to '" + successor + "' requested" : "step-down requested"));
	}

	CompletableFuture<Void> closeGracefully() {
		CompletableFuture<Void> closed = new CompletableFuture<>();
		EventLoop current = this.loop;
		if (current == null) {
			closed.complete(null);
			return closed;
		}
		current.execute(() -> {
			if (this.phase == Phase.CLOSED) {
				closed.complete(null);
				return;
			}
			this.closing = true;
			stepDownOnLoop(null, Cause.SHUTDOWN, true, "shutting down")
				.thenCompose((stepped) -> awaitTakeover())
				.thenCompose((tookOver) -> deleteMemberRecord())
				.whenComplete((offset, error) -> {
					if (error != null) {
						// the notice, or the tombstone of the member record after it
						logger.warn("Instance '{}' could not announce its shutdown or delete its member record: {}",
								this.instanceId, error.toString());
					}
					current.execute(() -> {
						terminate();
						closed.complete(null);
					});
				});
		});
		return closed;
	}

	/**
	 * After a handover on shutdown, waits until the successor's first record of the new epoch
	 * is read back, for at most one heartbeat interval (and half the shutdown timeout): the leaving
	 * process then shuts the rest of itself down (web server, clients, thread pools) only
	 * once the successor is primary, instead of competing with it for the CPU while it takes
	 * over, and it can log how long the takeover took. Completes with whether the successor
	 * was seen; completes at once if nothing was handed over.
	 */
	private CompletableFuture<Boolean> awaitTakeover() {
		CompletableFuture<Boolean> result = new CompletableFuture<>();
		EventLoop mainLoop = this.loop;
		mainLoop.execute(() -> {
			PendingTakeover pending = this.pendingTakeover;
			if (pending == null || this.phase == Phase.CLOSED) {
				this.pendingTakeover = null;
				result.complete(false);
				return;
			}
			pending.done = result;
			if (pending.seenEpoch > pending.epoch) {
				tookOver(pending);
				return;
			}
			long waited = this.clock.nanoTime() - pending.announcedAt;
			mainLoop.schedule(() -> {
				if (this.pendingTakeover == pending) {
					this.pendingTakeover = null;
					logger.info("Instance '{}' handed group '{}' over to '{}' but did not see it take over within {}; "
							+ "leaving anyway (the others claim the role if it does not)", this.instanceId, this.group,
							pending.successor, Durations.formatNanos(takeoverWaitNanos()));
					result.complete(false);
				}
			}, Math.max(0, takeoverWaitNanos() - waited));
		});
		return result;
	}

	private long takeoverWaitNanos() {
		// a granted successor takes over within milliseconds; waiting longer would only delay
		// the shutdown, and the others replace a successor that does not take over anyway
		return Math.min(this.intervalNanos, this.config.shutdownTimeout().toNanos() / 2);
	}

	private void checkTakeover(ProtocolRecord record, long now) {
		PendingTakeover pending = this.pendingTakeover;
		if (pending.seenEpoch > pending.epoch || record.epoch() <= pending.epoch
				|| !record.instanceId().equals(pending.successor)) {
			return;
		}
		pending.seenEpoch = record.epoch();
		pending.seenAt = now;
		if (pending.done != null) {
			tookOver(pending);
		}
	}

	private void tookOver(PendingTakeover pending) {
		this.pendingTakeover = null;
		logger.info("Instance '{}' handed group '{}' over to '{}', which took over at epoch {} ({} after the handover "
				+ "was announced)", this.instanceId, this.group, pending.successor, pending.seenEpoch,
				Durations.formatNanos(pending.seenAt - pending.announcedAt));
		pending.done.complete(true);
	}

	/**
	 * Deletes this member's presence from a compacted topic (a tombstone on its member key),
	 * so that instance ids used once (such as host and pid) do not pile up forever.
	 */
	private CompletableFuture<Long> deleteMemberRecord() {
		CompletableFuture<Long> result;
		try {
			result = this.transport.publish(this.group, Transport.memberKey(this.group, this.instanceId), null);
		}
		catch (RuntimeException ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		return result;
	}

	/** Stops at once, announcing nothing: what a crash looks like to the others. */
	void closeAbruptly() {
		Subscription current = this.subscription;
		if (current != null) {
			current.close();
		}
		EventLoop mainLoop = this.loop;
		if (mainLoop != null) {
			mainLoop.shutdown();
		}
		EventLoop callbackLoop = this.callbacks;
		if (callbackLoop != null) {
			callbackLoop.shutdown();
		}
		this.snapshot = Snapshot.closed(this.snapshot);
	}

	private <T> CompletableFuture<T> onLoop(java.util.function.Supplier<CompletableFuture<T>> action) {
		CompletableFuture<T> result = new CompletableFuture<>();
		EventLoop current = this.loop;
		if (current == null) {
			result.completeExceptionally(new IllegalStateException("Watcher '" + this.instanceId
					+ "' is not taking part in failover (not started, or failover never enabled)"));
			return result;
		}
		current.execute(() -> action.get().whenComplete((value, error) -> {
			if (error != null) {
				result.completeExceptionally(error);
			}
			else {
				result.complete(value);
			}
		}));
		return result;
	}

	// ---- on the loop: the log

	private void subscribe() {
		if (this.phase != Phase.OFFLINE) {
			return;
		}
		this.phase = Phase.JOINING;
		logger.info("Instance '{}' joining failover group '{}' (heartbeat every {}, timeout {}, lease {})",
				this.instanceId, this.group, Durations.format(this.config.heartbeatInterval()),
				Durations.format(this.config.heartbeatTimeout()), Durations.format(this.config.lease()));
		EventLoop mainLoop = this.loop;
		this.subscription = this.transport.subscribe(this.group, 0, Duration.ofNanos(this.progressNanos),
				new LogListener() {
					@Override
					public void onRecord(long offset, String key, byte[] value) {
						mainLoop.execute(() -> handleRecord(offset, key, value));
					}

					@Override
					public void onProgress(long endOffset, long observedAtNanos) {
						mainLoop.execute(() -> handleProgress(endOffset, observedAtNanos));
					}

					@Override
					public void onLogReplaced(String reason) {
						mainLoop.execute(() -> logReplaced(reason));
					}

					@Override
					public void onError(Throwable error) {
						mainLoop.execute(() -> handleReadError(error));
					}
				});
		afterEvent();
	}

	/**
	 * Fails closed when the log is not the one folded so far (the topic was replaced or
	 * truncated, or created just now): a primary steps down at once, without a shutdown
	 * notice (which would let the others claim at once), the fold starts again from the
	 * records to come, keeping every epoch it knew as taken, and no claim is made before a
	 * full timeout of silence (and the longest lease announced) from now.
	 */
	private void logReplaced(String reason) {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		long now = this.clock.nanoTime();
		long floor = Math.max(this.epochFloor, Math.max(this.log.maxEpoch(), this.log.epoch()));
		boolean knewHistory = this.lastOffsetRead >= 0 || this.progressEnd > 0;
		if (knewHistory) {
			logger.warn("Group '{}': the log is not the one read so far ({}); instance '{}' forgets it, keeps epochs up "
					+ "to {} as taken, and claims nothing for {}", this.group, reason, this.instanceId, floor,
					Durations.formatNanos(replacedWaitNanos()));
		}
		else {
			logger.info("Group '{}': {}; instance '{}' claims nothing for {}, in case an older log of the group "
					+ "was replaced a moment ago", this.group, reason, this.instanceId,
					Durations.formatNanos(replacedWaitNanos()));
		}
		if (isActing()) {
			boolean wasPrimary = this.phase == Phase.PRIMARY;
			long epoch = this.wonClaim.epoch();
			long actedUntil = actedUntil();
			endActing();
			if (wasPrimary) {
				demoted(epoch, Cause.LOG_REPLACED, "the log was replaced or truncated (" + reason + ")", false,
						actedUntil);
			}
		}
		// the new log is folded as every reader folds it, joiners included; the epochs of the
		// old one only bound what this instance asks for, and travel in its records
		this.epochFloor = floor;
		this.log = new GroupLog(this.group);
		this.pendingClaims.clear();
		this.pendingStandbys.clear();
		this.lastOffsetRead = -1;
		this.progressEnd = 0;
		this.lastConfirmedAt = Long.MIN_VALUE;
		this.lastConfirmedSent = null;
		this.replacedAt = now;
		this.lastSignAt = now;
		if (this.phase == Phase.CLAIMING) {
			this.phase = Phase.SECONDARY;
		}
		if (this.caughtUp) {
			// catch up with the new log before acting on it
			this.caughtUp = false;
			this.phase = Phase.JOINING;
		}
		if (!this.closing && floor > 0) {
			// tell the new log at once which epochs are taken, before anybody who never saw
			// the old one claims on it
			publishStandby(false);
		}
		afterEvent();
	}

	/** The highest epoch this instance knows to be taken: in the log, or in a log replaced since. */
	private long knownMaxEpoch() {
		return Math.max(this.log.maxEpoch(), this.epochFloor);
	}

	/** How long after a replaced log nobody claims: a silent primary's timeout, or the longest lease announced. */
	private long replacedWaitNanos() {
		long announced = this.log.primaryLeaseMillis() * 1_000_000L + this.config.leaseMargin().toNanos();
		return Math.max(this.timeoutNanos, Math.max(announced, this.unverifiedLeaseNanos));
	}

	private void handleRecord(long offset, String key, byte[] value) {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		if (offset <= this.lastOffsetRead) {
			// offsets only grow within one log: this is another one (replaced, or truncated)
			logReplaced("read offset " + offset + " after offset " + this.lastOffsetRead);
		}
		this.lastOffsetRead = Math.max(this.lastOffsetRead, offset);
		if (value == null && key != null && !key.equals(Transport.groupKey(this.group))) {
			// a tombstone that deletes a member's presence from the compacted topic
			if (this.caughtUp) {
				this.members.remove(Transport.memberId(this.group, key));
				afterEvent();
			}
			return;
		}
		DecodeResult decoded = this.codec.decode(value);
		if (!decoded.isAccepted()) {
			reject(decoded.rejectReason(), "record at offset " + offset + ": " + decoded.detail());
			if (decoded.unverified() != null && decoded.unverified().group().equals(this.group)) {
				unverifiedRecord(decoded.unverified());
			}
			afterEvent();
			return;
		}
		ProtocolRecord record = decoded.record();
		if (!record.group().equals(this.group)) {
			return;
		}
		if (!this.caughtUp) {
			// history: fold it to learn the state, act on nothing
			GroupLog.Outcome outcome = this.log.apply(offset, record);
			if (outcome == GroupLog.Outcome.STALE) {
				this.stats.rejected(RejectReason.STALE_EPOCH, 1);
			}
			return;
		}
		long now = this.clock.nanoTime();
		String previousPrimary = this.log.primaryId();
		long previousEpoch = this.log.epoch();
		long knownBefore = Math.max(this.log.maxEpoch(), this.epochFloor);
		GroupLog.Outcome outcome = this.log.apply(offset, record);
		boolean mine = this.session.equals(record.session());
		// the send time of this instance's own heartbeat or presence record, once read back
		Sent sentAt = null;
		if (mine) {
			sentAt = ownRecordRead(record, offset, now);
		}
		else {
			if (this.pendingTakeover != null && outcome != GroupLog.Outcome.STALE
					&& outcome != GroupLog.Outcome.REPLAYED) {
				checkTakeover(record, now);
			}
			if (record.instanceId().equals(this.instanceId)
					&& this.rateLimited.tryLog("duplicate-id", now) >= 0) {
				logger.warn("Group '{}': read a live {} of instance id '{}' written by another session: another process "
						+ "uses this instance's id, or this is a late record of its previous run", this.group,
						record.type(), this.instanceId);
			}
			this.members.seen(record, now, this.clock.instant());
		}
		switch (outcome) {
			case CLAIM_WON -> {
				if (mine) {
					ownClaimWon(record, now);
				}
				else {
					otherPrimary(record, now, previousPrimary, previousEpoch);
				}
			}
			case CLAIM_LOST -> {
				if (mine && this.pendingClaims.remove(record.seq()) != null && this.phase == Phase.CLAIMING
						&& record.seq() == this.claimSeq) {
					logger.info("Instance '{}' lost its claim for epoch {} of group '{}'; primary is '{}' at epoch {}",
							this.instanceId, record.epoch(), this.group, this.log.primaryId(), this.log.epoch());
					this.phase = Phase.SECONDARY;
				}
			}
			case RENEWED -> {
				if (mine) {
					renewLease(sentAt, now);
				}
				else {
					this.stats.heartbeatReceived();
					this.lastSignAt = now;
					this.lastHeartbeat = this.clock.instant();
				}
			}
			case ADOPTED -> {
				if (!mine) {
					logger.warn("Group '{}': adopted epoch {} with primary '{}' from a heartbeat (was epoch {}, primary '{}')",
							this.group, record.epoch(), record.instanceId(), previousEpoch, previousPrimary);
					this.stats.heartbeatReceived();
					otherPrimary(record, now, previousPrimary, previousEpoch);
				}
			}
			case VACATED -> {
				this.vacantSince = now;
				this.lastSignAt = now;
				this.warnedDisabled = false;
				if (!mine) {
					logger.info("Group '{}': primary '{}' left epoch {} ({}){}", this.group, record.instanceId(),
							record.epoch(), Objects.requireNonNullElse(record.reason(), "no reason given"),
							(record.successor() != null) ? ", successor '" + record.successor() + "'" : "");
				}
				if (!mine && isActing()) {
					// we hold a lower epoch than the one that just ended: we are stale
					stepDownSuperseded(record);
				}
			}
			case GRANTED -> {
				this.lastSignAt = now;
				this.lastHeartbeat = this.clock.instant();
				this.warnedDisabled = false;
				if (this.instanceId.equals(record.successor()) && this.session.equals(record.successorSession())) {
					acceptGrant(record, now);
				}
				else {
					logger.info("Group '{}': primary '{}' left epoch {} ({}) and handed over to '{}' at epoch {}",
							this.group, record.instanceId(), record.epoch(),
							Objects.requireNonNullElse(record.reason(), "no reason given"), record.successor(),
							this.log.epoch());
					if (!mine && isActing()) {
						stepDownSuperseded(record);
					}
					else if (this.phase == Phase.CLAIMING) {
						this.phase = Phase.SECONDARY;
					}
				}
			}
			case STALE -> {
				if (!mine && record.type() == RecordType.HEARTBEAT) {
					// somebody still acts on an older epoch: its lease may not have ended (a reader
					// whose history was compacted may have folded another holder), so its
					// heartbeats keep the silence from starting
					this.lastSignAt = now;
				}
				reject(RejectReason.STALE_EPOCH, record + " at offset " + offset + " is older than epoch "
						+ this.log.epoch());
			}
			case REPLAYED -> reject(RejectReason.REPLAYED, record + " at offset " + offset + " was already seen");
			case NO_EFFECT -> {
			}
		}
		if (!mine && this.phase == Phase.PRIMARY && record.type() != RecordType.CLAIM && record.maxEpoch() > knownBefore
				&& record.maxEpoch() >= this.log.epoch()) {
			renumber(record);
		}
		afterEvent();
	}

	/**
	 * Hands the role on at an epoch above every one the group used, when a member tells of
	 * an epoch this instance's log never showed, at or above the one it holds: the member
	 * read a log that was replaced since (or, after compaction, a claim this instance never
	 * saw). Holding on would leave the group primary at an epoch that downstream fencing
	 * already saw surpassed; a handover grant (or, with nobody to take it, a plain notice)
	 * moves the group to a higher epoch within a round trip.
	 */
	private void renumber(ProtocolRecord record) {
		String reason = "'" + record.instanceId() + "' knows epoch " + record.maxEpoch()
				+ ", which this log never showed (it was replaced, or compacted): moving the group above it";
		logger.warn("Instance '{}' steps down from epoch {} of group '{}': {}", this.instanceId, this.log.epoch(),
				this.group, reason);
		stepDownOnLoop(null, Cause.LOG_REPLACED, false, reason);
	}

	/**
	 * A well-formed record of the group that could not be verified (signed with a key not
	 * accepted here, or not signed) proves nothing, except that somebody writes to the group:
	 * during a rolling change of the key, an old member may be primary. So the group is not
	 * empty for this instance, and it claims only after a full timeout (and the lease that
	 * record announces) of silence from such records too.
	 */
	private void unverifiedRecord(ProtocolRecord record) {
		long now = this.clock.nanoTime();
		if (record.session().equals(this.session)) {
			return;
		}
		if (record.type() == RecordType.HEARTBEAT || record.type() == RecordType.CLAIM
				|| this.unverifiedAt == Long.MIN_VALUE) {
			this.unverifiedAt = now;
		}
		// its epochs may be taken: claims go above them (bounded, so that a forger can make
		// epochs jump, never overflow)
		this.log.noteTaken(Math.min(record.highestEpoch(), this.log.maxEpoch() + 1_000_000L));
		long lease = record.leaseMillis() * 1_000_000L + this.config.leaseMargin().toNanos();
		this.unverifiedLeaseNanos = Math.max(this.unverifiedLeaseNanos, Math.min(lease, 10 * this.timeoutNanos));
	}

	private void handleProgress(long endOffset, long observedAtNanos) {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		if (endOffset < this.progressEnd || endOffset <= this.lastOffsetRead) {
			// the log ends before what was read from it: truncated, or replaced
			logReplaced("the log ends at offset " + endOffset + ", below offset " + Math.max(this.progressEnd - 1,
					this.lastOffsetRead) + " already read");
			return;
		}
		long now = this.clock.nanoTime();
		progressConfirmed(endOffset, observedAtNanos, now);
		if (!this.caughtUp) {
			this.caughtUp = true;
			this.joinedAt = now;
			this.lastSignAt = now;
			this.vacantSince = now;
			this.phase = Phase.SECONDARY;
			this.nextStandbyAt = now;
			logger.info("Instance '{}' joined group '{}' as secondary: {}", this.instanceId, this.group, describeGroup());
		}
		afterEvent();
	}

	/**
	 * Records that every record before {@code endOffset} has been read and that every record
	 * from it on was appended after {@code observedAt}: the view of the log is confirmed.
	 */
	private void progressConfirmed(long endOffset, long observedAt, long now) {
		this.lastProgressAt = now;
		this.progressEnd = Math.max(this.progressEnd, endOffset);
	}

	/**
	 * Reading back a record this instance wrote confirms the view of the log without asking
	 * the broker: the record was appended after it was sent, and everything acknowledged
	 * before it lies before it in the log and has been read.
	 * @return when the record was sent, if it is a heartbeat of the epoch held or a presence
	 * record still awaited, else {@code null}
	 */
	private Sent ownRecordRead(ProtocolRecord record, long offset, long now) {
		NavigableMap<Long, Sent> pending = switch (record.type()) {
			// sequence numbers start again with every epoch
			case HEARTBEAT -> (isActing() && record.epoch() == this.log.epoch()) ? this.pendingHeartbeats : null;
			case STANDBY -> this.pendingStandbys;
			default -> null;
		};
		Sent sent = (pending != null) ? pending.get(record.seq()) : null;
		if (sent != null) {
			// records are read in the order they were sent: the earlier ones are lost or read
			pending.headMap(record.seq(), true).clear();
			progressConfirmed(offset + 1, sent.mono(), now);
			this.lastConfirmedAt = now;
			// each confirmation bounds the records after it, so the latest bound holds
			if (this.lastConfirmedSent == null || sent.mono() > this.lastConfirmedSent.mono()) {
				this.lastConfirmedSent = sent;
			}
		}
		return sent;
	}

	private void handleReadError(Throwable error) {
		if (this.rateLimited.tryLog("read-error", this.clock.nanoTime()) >= 0) {
			logger.warn("Instance '{}' cannot read the log of group '{}': {}", this.instanceId, this.group,
					error.toString());
		}
	}

	private void reject(RejectReason reason, String detail) {
		this.stats.rejected(reason, 1);
		long suppressed = this.rateLimited.tryLog(reason.tag(), this.clock.nanoTime());
		if (suppressed >= 0) {
			logger.warn("Group '{}': ignored a record ({}): {}{}", this.group, reason.tag(), detail,
					(suppressed > 0) ? " (" + suppressed + " similar ignored since the last warning)" : "");
		}
	}

	// ---- on the loop: the election

	private void otherPrimary(ProtocolRecord record, long now, String previousPrimary, long previousEpoch) {
		this.lastSignAt = now;
		this.lastHeartbeat = this.clock.instant();
		this.warnedDisabled = false;
		this.failures = 0;
		if (isActing()) {
			stepDownSuperseded(record);
		}
		else if (this.phase == Phase.CLAIMING) {
			this.phase = Phase.SECONDARY;
		}
		if (record.type() == RecordType.CLAIM) {
			logger.info("Group '{}': '{}' is primary at epoch {} ({})", this.group, record.instanceId(), record.epoch(),
					(previousPrimary != null) ? "after '" + previousPrimary + "' at epoch " + previousEpoch
							: "the first primary this instance has seen");
		}
	}

	/**
	 * Takes the epoch that the leaving primary granted to this instance. The grant lease runs
	 * from when this instance last confirmed its view of the log before the grant, which the
	 * grant was written after; the others wait longer than that before they claim.
	 */
	private void acceptGrant(ProtocolRecord grant, long now) {
		long epoch = this.log.epoch();
		Sent anchor = this.lastConfirmedSent;
		long expiry = (anchor == null) ? Long.MIN_VALUE : anchor.mono() + this.grantLeaseNanos;
		boolean usable = (this.phase == Phase.SECONDARY || this.phase == Phase.CLAIMING) && !this.closing
				&& this.enabled && expiry > now;
		if (!usable) {
			logger.info("Instance '{}' cannot take epoch {} of group '{}' handed over by '{}' ({}); handing it back",
					this.instanceId, epoch, this.group, grant.instanceId(),
					(expiry <= now) ? "its view of the log is too old to date a lease" : "not a candidate now");
			this.phase = Phase.SECONDARY;
			publishShutdown(epoch, null, "handover grant declined", false, null);
			return;
		}
		this.pendingClaims.clear();
		this.phase = Phase.PROMOTING;
		this.wonClaim = new ClaimAttempt(epoch, now, wallNanos(this.clock), Cause.PRIMARY_LEFT,
				"primary '" + grant.instanceId() + "' handed over to this instance", now);
		this.leaseExpiry = expiry;
		this.leaseAnchor = anchor;
		this.pendingHeartbeats.clear();
		this.nextSeq = 1;
		// renew the short grant lease with a first heartbeat right away
		this.nextHeartbeatAt = now;
		startPromotion(epoch);
	}

	private void ownClaimWon(ProtocolRecord claim, long now) {
		// the lease runs from when this very claim was sent: a later attempt for the same
		// epoch number must not lend it its younger send time
		ClaimAttempt attempt = this.pendingClaims.remove(claim.seq());
		if (attempt == null || attempt.sentAt + this.leaseNanos <= now || this.closing || isActing()) {
			// a claim we gave up on, or read back too late to use: hand the epoch back
			if (this.phase == Phase.CLAIMING) {
				this.phase = Phase.SECONDARY;
			}
			logger.info("Instance '{}' won epoch {} of group '{}' with a claim it no longer holds a lease for; "
					+ "handing the epoch back", this.instanceId, claim.epoch(), this.group);
			publishShutdown(claim.epoch(), null, "claim no longer wanted", false, null);
			return;
		}
		this.pendingClaims.clear();
		this.stats.claimWon();
		this.phase = Phase.PROMOTING;
		this.wonClaim = attempt;
		this.leaseExpiry = attempt.sentAt + this.leaseNanos;
		this.leaseAnchor = new Sent(attempt.sentAt, attempt.sentWall);
		this.pendingHeartbeats.clear();
		this.nextSeq = 1;
		this.nextHeartbeatAt = attempt.sentAt + this.intervalNanos;
		this.lastHeartbeat = this.clock.instant();
		startPromotion(claim.epoch());
	}

	private void startPromotion(long epoch) {
		if (this.onPromote == null) {
			becomePrimary(epoch);
			return;
		}
		EventLoop mainLoop = this.loop;
		this.callbacks.execute(() -> {
			try {
				this.onPromote.run(epoch);
				mainLoop.execute(() -> promoteCallbackDone(epoch, null));
			}
			catch (Throwable ex) {
				mainLoop.execute(() -> promoteCallbackDone(epoch, ex));
			}
		});
	}

	private void promoteCallbackDone(long epoch, Throwable error) {
		boolean stillOurs = this.phase == Phase.PROMOTING && this.log.epoch() == epoch;
		if (error == null && stillOurs && this.clock.nanoTime() < this.leaseExpiry) {
			becomePrimary(epoch);
			afterEvent();
			return;
		}
		if (error == null) {
			// promoted too late: undo whatever the callback started
			logger.warn("Instance '{}' lost epoch {} of group '{}' while its promote callback ran; undoing it",
					this.instanceId, epoch, this.group);
			runDemoteCallback(epoch);
			if (this.phase == Phase.PROMOTING) {
				endActing();
				publishShutdown(epoch, null, "lease expired during promotion", false, null);
			}
			afterEvent();
			return;
		}
		logger.error("Instance '{}' refused to become primary of group '{}' at epoch {}: promote callback failed; "
				+ "staying secondary and retrying after back-off", this.instanceId, this.group, epoch, error);
		if (stillOurs) {
			endActing();
			publishShutdown(epoch, null, "promotion failed: " + error, false, null);
		}
		backOff();
		afterEvent();
	}

	private void becomePrimary(long epoch) {
		this.phase = Phase.PRIMARY;
		this.failures = 0;
		this.stats.promoted();
		Instant now = this.clock.instant();
		ClaimAttempt claim = this.wonClaim;
		// measured to this instant, from the previous primary's last heartbeat or shutdown notice
		Duration since = (claim.lastSignAt == Long.MIN_VALUE) ? null
				: Duration.ofNanos(this.clock.nanoTime() - claim.lastSignAt);
		RoleChange change = new RoleChange(this.instanceId, this.group, Role.SECONDARY, Role.PRIMARY, epoch, claim.cause,
				claim.reason, now, since);
		logger.info("Instance '{}' is now PRIMARY of group '{}' at epoch {}: {}{}", this.instanceId, this.group, epoch,
				claim.reason, (since != null) ? " (" + Durations.formatNanos(since.toNanos())
						+ " after the previous primary's last sign of life)" : "");
		notifyListeners(change);
	}

	/**
	 * Renews the lease from the send time of this instance's heartbeat just read back, if any,
	 * unless the lease has already run out: a lapse is final (see {@link #expireLapsedLease}).
	 */
	private void renewLease(Sent sent, long now) {
		if (sent == null || now >= this.leaseExpiry || clockJumpNanos(now) > 0) {
			return;
		}
		if (sent.mono() + this.leaseNanos > this.leaseExpiry) {
			this.leaseExpiry = sent.mono() + this.leaseNanos;
			this.leaseAnchor = sent;
		}
		this.lastHeartbeat = this.clock.instant();
		this.lastSignAt = now;
	}

	private void stepDownSuperseded(ProtocolRecord record) {
		String reason = "superseded: '" + record.instanceId() + "' holds epoch " + this.log.epoch();
		boolean wasPrimary = this.phase == Phase.PRIMARY;
		long epoch = this.wonClaim.epoch();
		long actedUntil = actedUntil();
		endActing();
		if (wasPrimary) {
			demoted(epoch, Cause.SUPERSEDED, reason, true, actedUntil);
		}
	}

	/** When this instance stopped (or stops now) being primary: its lease may have lapsed earlier. */
	private long actedUntil() {
		return Math.min(this.clock.nanoTime(), this.leaseExpiry);
	}

	private CompletableFuture<Boolean> stepDownOnLoop(String successor, Cause cause, boolean leaving, String reason) {
		try {
			expireLapsedLease();
			return doStepDown(successor, cause, leaving, reason);
		}
		finally {
			// only once the snapshot says secondary may isPrimary() stop relying on the flag
			publishSnapshot(this.clock.nanoTime());
			this.relinquishing = false;
		}
	}

	private CompletableFuture<Boolean> doStepDown(String successor, Cause cause, boolean leaving, String reason) {
		CompletableFuture<Boolean> done = new CompletableFuture<>();
		long epoch = this.log.epoch();
		if (this.phase == Phase.PRIMARY) {
			long actedUntil = actedUntil();
			endActing();
			this.lastSignAt = this.clock.nanoTime();
			if (!leaving) {
				this.backoffUntil = this.clock.nanoTime() + this.intervalNanos;
			}
			// announce only once the demote callback has run (or after a bound), so that the old
			// primary has stopped acting before anybody can take over; listeners, which only
			// hear of the change, run after the announcement is on its way
			AtomicBoolean announced = new AtomicBoolean();
			EventLoop mainLoop = this.loop;
			Runnable announce = () -> {
				if (announced.compareAndSet(false, true)) {
					MemberTable.Successor grantee = this.members.chooseSuccessor(successor, this.clock.nanoTime());
					if (leaving && grantee != null) {
						this.pendingTakeover = new PendingTakeover(grantee.instanceId(), epoch, this.clock.nanoTime());
					}
					publishShutdown(epoch, (grantee != null) ? grantee.instanceId() : successor, reason, leaving,
							(grantee != null) ? grantee.session() : null)
						.whenComplete((offset, error) -> {
							if (error != null) {
								done.completeExceptionally(error);
							}
							else {
								done.complete(true);
							}
						});
				}
			};
			// without a demote callback this runs at once: the notice is written within this
			// task, before the rest of the shutdown is even chained, not in a task after it
			demoted(epoch, cause, reason, true, actedUntil, announce);
			if (!announced.get()) {
				mainLoop.schedule(() -> {
					if (!announced.get()) {
						logger.warn("Instance '{}': the demote callback is still running after {}; announcing the handover anyway",
								this.instanceId, Durations.format(this.config.heartbeatInterval()));
						announce.run();
					}
				}, this.intervalNanos);
			}
			afterEvent();
			return done;
		}
		if (this.phase == Phase.PROMOTING) {
			endActing();
			publishShutdown(epoch, successor, reason, leaving, null)
				.whenComplete((offset, error) -> done.complete(error == null));
			afterEvent();
			return done;
		}
		if (this.phase == Phase.CLAIMING) {
			this.phase = Phase.SECONDARY;
		}
		if (leaving && this.caughtUp) {
			publishStandby(true).whenComplete((offset, error) -> done.complete(false));
		}
		else {
			done.complete(false);
		}
		afterEvent();
		return done;
	}

	/**
	 * Steps down if the lease has run out: after every task, and before a step-down (the loop
	 * was late, or the process paused). A lapse is final: {@code isPrimary()} has answered
	 * {@code false} since, so a heartbeat read back after it must not make this instance
	 * primary again at the same epoch ({@link #renewLease} refuses), nor may a step-down queued
	 * before the lapse grant the epoch as if it were still held.
	 */
	private void expireLapsedLease() {
		long now = this.clock.nanoTime();
		if (isActing() && (now >= this.leaseExpiry || clockJumpNanos(now) > 0)) {
			leaseExpired(now);
		}
	}

	/**
	 * Returns by how much the wall clock has run ahead of the monotonic clock since the lease
	 * was last renewed, beyond the lease margin, or 0. The monotonic clock does not count a
	 * system suspend (or a paused virtual machine), so a lease measured on it alone would
	 * outlive its real end; a forward jump of the wall clock ends it (the safe direction: an
	 * operator's or NTP's forward step costs a failover, never two primaries).
	 */
	private long clockJumpNanos(long now) {
		Sent anchor = this.leaseAnchor;
		return (anchor == null) ? 0 : anchor.jumpNanos(now, wallNanos(this.clock), this.config.leaseMargin().toNanos());
	}

	static long wallNanos(FailoverClock clock) {
		Instant wall = clock.instant();
		return wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
	}

	private void leaseExpired(long now) {
		long epoch = this.log.epoch();
		boolean wasPrimary = this.phase == Phase.PRIMARY;
		long jump = clockJumpNanos(now);
		String reason = (jump > 0 && now < this.leaseExpiry)
				? "lease ended: the wall clock ran " + Durations.formatNanos(jump + this.config.leaseMargin().toNanos())
						+ " ahead of the monotonic clock (the system was suspended, or its clock was stepped forward)"
				: "lease expired: no heartbeat of this instance was read back within "
						+ Durations.format(this.config.lease()) + " (log unreachable, or the process was paused)";
		long actedUntil = actedUntil();
		endActing();
		this.lastSignAt = now;
		backOff();
		if (wasPrimary) {
			demoted(epoch, Cause.LEASE_EXPIRED, reason, false, actedUntil);
		}
		else {
			logger.warn("Instance '{}' gave up epoch {} of group '{}' before its promotion completed: {}",
					this.instanceId, epoch, this.group, reason);
		}
		// if the log comes back before anybody claims, let the group re-elect at once
		publishShutdown(epoch, null, "lease expired", false, null);
	}

	private void endActing() {
		if (this.wonClaim != null) {
			// an epoch this instance acted at stays taken for it, even if the fold then follows
			// an older holder (a claim a compacted view judged won, rule 5): what it reports
			// and what it claims next stay above it
			this.epochFloor = Math.max(this.epochFloor, this.wonClaim.epoch());
		}
		this.phase = Phase.SECONDARY;
		this.leaseExpiry = Long.MIN_VALUE;
		this.leaseAnchor = null;
		this.pendingHeartbeats.clear();
	}

	private void demoted(long epoch, Cause cause, String reason, boolean info, long actedUntil) {
		demoted(epoch, cause, reason, info, actedUntil, null);
	}

	private void demoted(long epoch, Cause cause, String reason, boolean info, long actedUntil,
			Runnable afterCallback) {
		this.stats.demoted();
		if (info) {
			logger.info("Instance '{}' is no longer primary of group '{}' (epoch {}): {}", this.instanceId, this.group,
					epoch, reason);
		}
		else {
			logger.warn("Instance '{}' is no longer primary of group '{}' (epoch {}): {}", this.instanceId, this.group,
					epoch, reason);
		}
		// the change happened when the instance stopped acting: for a lapsed lease, at its end
		Instant at = this.clock.instant().minusNanos(Math.max(0, this.clock.nanoTime() - actedUntil));
		notifyListeners(new RoleChange(this.instanceId, this.group, Role.PRIMARY, Role.SECONDARY, epoch, cause, reason,
				at, null), afterCallback);
	}

	private void backOff() {
		this.failures = Math.min(this.failures + 1, 30);
		long min = this.config.claimBackoffMin().toNanos();
		long max = this.config.claimBackoffMax().toNanos();
		long ceiling = Math.min(max, min << Math.min(this.failures - 1, 20));
		long delay = ceiling / 2 + (long) (this.random.nextDouble() * (ceiling / 2.0));
		this.backoffUntil = this.clock.nanoTime() + Math.max(min, delay);
	}

	// ---- on the loop: timers

	private void afterEvent() {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		expireLapsedLease();
		long now = this.clock.nanoTime();
		if (isActing() && now >= this.nextHeartbeatAt) {
			sendHeartbeat(now);
		}
		if (this.caughtUp && !isActing() && !this.closing && now >= this.nextStandbyAt) {
			publishStandby(false);
			this.nextStandbyAt = now + this.intervalNanos;
		}
		long claimAt = maybeClaim(now);
		ClaimAttempt current = this.pendingClaims.get(this.claimSeq);
		if (this.phase == Phase.CLAIMING && (current == null || now - current.sentAt > this.timeoutNanos)) {
			logger.warn("Instance '{}': claim for epoch {} not read back within {}; giving up on it", this.instanceId,
					(current != null) ? current.epoch : -1, Durations.format(this.config.heartbeatTimeout()));
			this.phase = Phase.SECONDARY;
			backOff();
		}
		// a claim older than a lease can never be used, even if it is read back later
		this.pendingClaims.values().removeIf((attempt) -> now - attempt.sentAt >= this.leaseNanos);
		this.members.prune(now);
		long next = Long.MAX_VALUE;
		if (isActing()) {
			next = Math.min(next, Math.min(this.leaseExpiry, this.nextHeartbeatAt));
		}
		if (this.caughtUp && !isActing() && !this.closing) {
			next = Math.min(next, this.nextStandbyAt);
		}
		if (claimAt > now) {
			next = Math.min(next, claimAt);
		}
		if (this.phase == Phase.CLAIMING && current != null) {
			next = Math.min(next, current.sentAt + this.timeoutNanos + 1);
		}
		scheduleTimer(next, now);
		publishSnapshot(now);
	}

	private void scheduleTimer(long at, long now) {
		if (at == this.timerAt) {
			return;
		}
		this.timer.cancel();
		this.timerAt = at;
		if (at == Long.MAX_VALUE) {
			this.timer = Cancellable.NONE;
			return;
		}
		this.timer = this.loop.schedule(() -> {
			this.timerAt = Long.MAX_VALUE;
			this.timer = Cancellable.NONE;
			afterEvent();
		}, Math.max(0, at - now));
	}

	/**
	 * Claims if it is time to; returns when it will be time to claim (for the timer), or
	 * {@code Long.MIN_VALUE} if nothing is to be claimed or only an event can unblock it.
	 */
	private long maybeClaim(long now) {
		if (this.phase != Phase.SECONDARY || !this.caughtUp || this.closing) {
			return Long.MIN_VALUE;
		}
		long dueAt;
		Cause cause;
		String reason;
		if (this.log.isEmpty()) {
			// an empty log is a new group, or a topic replaced (or emptied by retention) a
			// moment ago under a primary that has not noticed yet: the first claim waits a
			// silence of a full timeout, once in a group's life (its log is never empty again)
			dueAt = this.joinedAt + this.timeoutNanos + rankDelay(now, null) + deferAfter(null);
			cause = Cause.NO_PRIMARY;
			reason = "the group had no primary";
		}
		else if (this.log.isVacant()) {
			String successor = this.log.successor();
			long delay = this.instanceId.equals(successor) ? 0
					: (successor != null) ? this.intervalNanos + rankDelay(now, this.log.primaryId())
							: rankDelay(now, this.log.primaryId()) + deferAfter(this.log.primaryId());
			dueAt = this.vacantSince + delay;
			cause = Cause.PRIMARY_LEFT;
			reason = "primary '" + this.log.primaryId() + "' left epoch " + this.log.epoch()
					+ (this.instanceId.equals(successor) ? " and handed over to this instance" : "");
		}
		else if (this.log.isGranted()) {
			// the successor named in a handover has not heartbeated yet: wait less than a timeout
			// (but as long as its own settings let it act on the grant)
			long wait = Math.max(this.handoverNanos,
					this.members.grantLeaseNanosOf(this.log.primaryId(), this.grantLeaseNanos)
							+ this.config.leaseMargin().toNanos());
			dueAt = this.lastSignAt + wait + rankDelay(now, this.log.primaryId());
			cause = Cause.PRIMARY_SILENT;
			reason = "'" + this.log.primaryId() + "' was handed epoch " + this.log.epoch() + " but did not take it within "
					+ Durations.formatNanos(this.handoverNanos);
		}
		else {
			// a primary with a longer lease than ours (a rolling change of settings) is waited out
			long announced = this.log.primaryLeaseMillis() * 1_000_000L + this.config.leaseMargin().toNanos();
			dueAt = this.lastSignAt + Math.max(this.timeoutNanos, announced) + rankDelay(now, this.log.primaryId());
			cause = Cause.PRIMARY_SILENT;
			reason = "primary '" + this.log.primaryId() + "' (epoch " + this.log.epoch() + ") silent for "
					+ Durations.formatNanos(now - this.lastSignAt);
		}
		dueAt = Math.max(dueAt, this.backoffUntil);
		if (this.replacedAt != Long.MIN_VALUE) {
			dueAt = Math.max(dueAt, this.replacedAt + replacedWaitNanos());
		}
		if (this.unverifiedAt != Long.MIN_VALUE) {
			dueAt = Math.max(dueAt, this.unverifiedAt + Math.max(this.timeoutNanos, this.unverifiedLeaseNanos));
		}
		if (now < dueAt) {
			return dueAt;
		}
		if (this.lastConfirmedAt == Long.MIN_VALUE || now - this.lastConfirmedAt > this.freshnessNanos) {
			// cannot confirm that we see the whole log: our isolation is not the primary's death
			return Long.MIN_VALUE;
		}
		if (!this.enabled) {
			if (!this.warnedDisabled) {
				this.warnedDisabled = true;
				logger.warn("Instance '{}' would claim the primary role of group '{}' ({}), but automatic failover is "
						+ "disabled on it", this.instanceId, this.group, reason);
			}
			return Long.MIN_VALUE;
		}
		claim(now, cause, reason);
		return Long.MIN_VALUE;
	}

	/**
	 * How much longer a preferred secondary waits before it claims an empty or vacant group:
	 * one heartbeat interval, so that a preferred primary that started up to an interval
	 * later than it (or that it has not seen yet) claims first, as the configured primary of
	 * the original package always did. Bounded, nothing for a preferred primary, and nothing
	 * when the group was left by a preferred primary (it is the one that cannot take the
	 * role: waiting for it again would starve the group).
	 * @param leftBy the member that left the vacant epoch, or {@code null} for an empty log
	 */
	private long deferAfter(String leftBy) {
		if (this.config.role() != Role.SECONDARY
				|| (leftBy != null && this.members.preferredRoleOf(leftBy) == Role.PRIMARY)) {
			return 0;
		}
		return this.intervalNanos;
	}

	private long rankDelay(long now, String primaryId) {
		long stagger = this.config.claimStagger().toNanos();
		if (stagger == 0) {
			return 0;
		}
		// a preferred secondary always lets preferred primaries go first, even unseen ones
		int rank = this.members.rankOfSelf(now, primaryId) + ((this.config.role() == Role.SECONDARY) ? 1 : 0);
		return rank * stagger;
	}

	private void claim(long now, Cause cause, String reason) {
		long epoch = knownMaxEpoch() + 1;
		long basedOn = Math.max(this.lastOffsetRead, this.progressEnd - 1);
		long seq = ++this.claimSeq;
		this.phase = Phase.CLAIMING;
		this.pendingClaims.put(seq, new ClaimAttempt(epoch, now, wallNanos(this.clock), cause, reason,
				this.log.isEmpty() ? Long.MIN_VALUE : this.lastSignAt));
		this.stats.claimSent();
		logger.info("Instance '{}' claims epoch {} of group '{}': {}", this.instanceId, epoch, this.group, reason);
		ProtocolRecord record = new ProtocolRecord(RecordType.CLAIM, this.group, this.instanceId, this.session, epoch,
				seq, basedOn, this.clock.instant(), reason, null, this.config.role(), this.config.priority(),
				this.enabled, false);
		EventLoop mainLoop = this.loop;
		publish(record).whenComplete((offset, error) -> {
			if (error != null) {
				mainLoop.execute(() -> {
					if (this.phase == Phase.CLAIMING && this.claimSeq == seq) {
						logger.warn("Instance '{}' could not write its claim for epoch {}: {}; retrying after back-off",
								this.instanceId, epoch, error.toString());
						this.phase = Phase.SECONDARY;
						backOff();
						afterEvent();
					}
				});
			}
		});
	}

	private void sendHeartbeat(long now) {
		long seq = this.nextSeq++;
		this.pendingHeartbeats.put(seq, new Sent(now, wallNanos(this.clock)));
		this.nextHeartbeatAt = now + this.intervalNanos;
		this.stats.heartbeatSent();
		publish(new ProtocolRecord(RecordType.HEARTBEAT, this.group, this.instanceId, this.session, this.log.epoch(), seq,
				-1, this.clock.instant(), null, null, this.config.role(), this.config.priority(), this.enabled, false));
	}

	/** Writes a presence record, and remembers when, to recognise it when it is read back. */
	private CompletableFuture<Long> publishStandby(boolean leaving) {
		long seq = ++this.standbySeq;
		long now = this.clock.nanoTime();
		// one not read back within a timeout never will be: forget it
		this.pendingStandbys.values().removeIf((sent) -> now - sent.mono() > this.timeoutNanos);
		this.pendingStandbys.put(seq, new Sent(now, wallNanos(this.clock)));
		return publish(new ProtocolRecord(RecordType.STANDBY, this.group, this.instanceId, this.session,
				this.log.epoch(), seq, -1, this.clock.instant(), leaving ? "leaving" : null, null, this.config.role(),
				this.config.priority(), this.enabled, leaving));
	}

	private CompletableFuture<Long> publishShutdown(long epoch, String successor, String reason, boolean leaving,
			String successorSession) {
		// a grant names the epoch it grants, so that every reader agrees on it
		long grantEpoch = (successorSession != null) ? Math.max(epoch, knownMaxEpoch()) + 1 : 0;
		return publish(new ProtocolRecord(RecordType.SHUTDOWN, this.group, this.instanceId, this.session, epoch, 0, -1,
				this.clock.instant(), reason, successor, this.config.role(), this.config.priority(), this.enabled,
				leaving, successorSession, 0, grantEpoch, 0, 0));
	}

	private CompletableFuture<Long> publish(ProtocolRecord unstamped) {
		// every record tells the highest epoch this instance has seen and its timing, for
		// readers of a compacted or replaced log and members with other settings
		ProtocolRecord record = unstamped.with(knownMaxEpoch(), unstamped.grantEpoch(),
				this.config.lease().toMillis(), this.config.heartbeatInterval().toMillis());
		String key = (record.type() == RecordType.STANDBY) ? Transport.memberKey(this.group, this.instanceId)
				: Transport.groupKey(this.group);
		CompletableFuture<Long> result;
		try {
			result = this.transport.publish(this.group, key, this.codec.encode(record));
		}
		catch (RuntimeException ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		EventLoop mainLoop = this.loop;
		result.whenComplete((offset, error) -> {
			if (error != null) {
				this.stats.publishFailed();
				mainLoop.execute(() -> {
					if (this.rateLimited.tryLog("publish-" + record.type(), this.clock.nanoTime()) >= 0) {
						logger.warn("Instance '{}' could not write a {} record to group '{}': {}", this.instanceId,
								record.type(), this.group, error.toString());
					}
				});
			}
		});
		return result;
	}

	// ---- on the loop: members and snapshots

	private boolean isActing() {
		return this.phase == Phase.PRIMARY || this.phase == Phase.PROMOTING;
	}

	private void terminate() {
		this.timer.cancel();
		this.phase = Phase.CLOSED;
		this.leaseExpiry = Long.MIN_VALUE;
		publishSnapshot(this.clock.nanoTime());
		EventLoop callbackLoop = this.callbacks;
		Subscription current = this.subscription;
		// closing a subscription may wait for a reader thread: never on the event loop
		callbackLoop.execute(() -> {
			if (current != null) {
				current.close();
			}
			callbackLoop.shutdown();
		});
		this.loop.shutdown();
		logger.info("Instance '{}' left failover group '{}'", this.instanceId, this.group);
	}

	private void publishSnapshot(long now) {
		boolean primaryKnown = this.log.hasPrimary();
		Member self = new Member(this.instanceId, (this.phase == Phase.PRIMARY) ? Role.PRIMARY : Role.SECONDARY,
				this.clock.instant(), this.config.role(), this.config.priority(), this.enabled, true);
		List<Member> view = this.members.view(self, primaryKnown ? this.log.primaryId() : null);
		long missingSince;
		if (this.phase == Phase.PRIMARY || !this.caughtUp) {
			missingSince = Long.MAX_VALUE;
		}
		else if (this.log.isEmpty() || this.log.isVacant()) {
			missingSince = this.log.isEmpty() ? this.joinedAt : this.vacantSince;
		}
		else {
			missingSince = this.lastSignAt + this.timeoutNanos;
		}
		// a secondary's epoch never goes down, also across a replaced log
		long epoch = isActing() ? this.log.epoch() : Math.max(this.log.epoch(), this.epochFloor);
		this.snapshot = new Snapshot(this.phase, this.leaseExpiry, this.leaseAnchor,
				this.config.leaseMargin().toNanos(), epoch,
				primaryKnown ? this.log.primaryId() : null, this.lastHeartbeat, this.lastProgressAt, this.caughtUp,
				missingSince, view, this.freshnessNanos);
	}

	private String describeGroup() {
		if (this.log.isEmpty()) {
			return "the group is empty";
		}
		return "epoch " + this.log.epoch() + ", primary '" + this.log.primaryId() + "'"
				+ (this.log.isVacant() ? " (left)" : "");
	}

	// ---- callbacks, off the loop

	private void runDemoteCallback(long epoch) {
		if (this.onDemote == null) {
			return;
		}
		this.callbacks.execute(() -> {
			try {
				this.onDemote.run(epoch);
			}
			catch (Throwable ex) {
				logger.error("Demote callback of instance '{}' failed", this.instanceId, ex);
			}
		});
	}

	private void notifyListeners(RoleChange change) {
		notifyListeners(change, null);
	}

	/**
	 * Runs the demote callback (for a demotion) on the callback thread, then
	 * {@code afterCallback} back on the event loop, then the listeners on the callback thread;
	 * without a demote callback to wait for, {@code afterCallback} runs at once, within the
	 * caller's task on the loop.
	 */
	private void notifyListeners(RoleChange change, Runnable afterCallback) {
		if (this.loop != null && this.loop.inEventLoop()) {
			// a listener that asks isPrimary() must already see the new role
			publishSnapshot(this.clock.nanoTime());
		}
		boolean demoteCallback = change.isDemotion() && this.onDemote != null;
		if (demoteCallback) {
			runDemoteCallback(change.epoch());
		}
		if (afterCallback != null) {
			if (demoteCallback) {
				EventLoop mainLoop = this.loop;
				this.callbacks.execute(() -> mainLoop.execute(afterCallback));
			}
			else {
				// nothing to wait for: no round trip through the callback thread
				afterCallback.run();
			}
		}
		this.callbacks.execute(() -> {
			for (Registration registration : this.listeners) {
				registration.deliver(change);
			}
		});
	}

	/** A listener and the executor it wants to be called on (or {@code null}). */
	private record Registration(RoleChangeListener listener, Executor executor) {

		void deliver(RoleChange change) {
			if (this.executor == null) {
				call(change);
				return;
			}
			try {
				this.executor.execute(() -> call(change));
			}
			catch (RuntimeException ex) {
				LOGGER.error("Executor of role-change listener {} rejected {}", this.listener, change, ex);
			}
		}

		private void call(RoleChange change) {
			try {
				this.listener.onRoleChange(change);
			}
			catch (Throwable ex) {
				LOGGER.error("Role-change listener {} failed on {}", this.listener, change, ex);
			}
		}

	}

	/** A claim written by this watcher: when, and why (for the promotion event). */
	private record ClaimAttempt(long epoch, long sentAt, long sentWall, Cause cause, String reason, long lastSignAt) {
	}

	/**
	 * When a record was sent, on the monotonic clock and on the wall clock (nanoseconds since
	 * the epoch), so that a lease running from it can tell a system suspend.
	 */
	record Sent(long mono, long wall) {

		/** How far the wall clock ran ahead of the monotonic one since the send, beyond {@code margin}. */
		long jumpNanos(long monoNow, long wallNow, long margin) {
			return Math.max(0, (wallNow - this.wall) - (monoNow - this.mono) - margin);
		}

	}

	/**
	 * The watcher's state as other threads see it: immutable, replaced after every task.
	 */
	record Snapshot(Phase phase, long leaseExpiry, Sent leaseAnchor, long marginNanos, long epoch, String primaryId,
			Instant lastHeartbeat, long lastProgressAt, boolean caughtUp, long primaryMissingSince, List<Member> members,
			long freshnessNanos) {

		static Snapshot offline() {
			return new Snapshot(Phase.OFFLINE, Long.MIN_VALUE, null, 0, 0, null, null, Long.MIN_VALUE, false,
					Long.MAX_VALUE, List.of(), 0);
		}

		static Snapshot closed(Snapshot last) {
			return new Snapshot(Phase.CLOSED, Long.MIN_VALUE, null, 0, last.epoch, last.primaryId, last.lastHeartbeat,
					Long.MIN_VALUE, last.caughtUp, Long.MAX_VALUE, List.of(), last.freshnessNanos);
		}

		/**
		 * Returns whether the instance is primary at a moment: in the primary phase, before
		 * the lease's end on the monotonic clock, and with the wall clock not run ahead of it
		 * by more than the margin since the lease was renewed (a suspend ends the lease).
		 */
		boolean isPrimaryAt(long nanoTime, long wallNanos) {
			return this.phase == Phase.PRIMARY && nanoTime < this.leaseExpiry
					&& (this.leaseAnchor == null || this.leaseAnchor.jumpNanos(nanoTime, wallNanos, this.marginNanos) == 0);
		}

	}

	/** A handover on shutdown whose successor has not been seen taking over yet. */
	private static final class PendingTakeover {

		final String successor;

		final long epoch;

		final long announcedAt;

		/** Set once the shutdown notice is written and the leaving instance waits. */
		CompletableFuture<Boolean> done;

		/** The epoch of the successor's first record read, once read. */
		long seenEpoch = Long.MIN_VALUE;

		long seenAt;

		PendingTakeover(String successor, long epoch, long announcedAt) {
			this.successor = successor;
			this.epoch = epoch;
			this.announcedAt = announcedAt;
		}

	}

}
