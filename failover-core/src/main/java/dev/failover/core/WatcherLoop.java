package dev.failover.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

import dev.failover.core.RoleChange.Cause;
import dev.failover.core.internal.election.Effect;
import dev.failover.core.internal.election.Election;
import dev.failover.core.internal.election.Event;
import dev.failover.core.internal.election.Snapshot;
import dev.failover.core.spi.Cancellable;
import dev.failover.core.spi.EventLoop;
import dev.failover.core.spi.FailoverClock;
import dev.failover.core.spi.LogListener;
import dev.failover.core.spi.ProcessProbes;
import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;
import dev.failover.core.wire.ProtocolRecord;
import dev.failover.core.wire.RecordCodec;
import dev.failover.core.wire.RecordType;

/**
 * Runs one watcher's {@link Election}: owns its threads (the event loop and the callback
 * loop), the subscription to the log, the codec and the timer. Everything that happens
 * becomes an {@link Event} handled on the event loop, and the election's {@link Effect}s
 * are carried out in order. Other threads see the state only through the immutable
 * {@link Snapshot} published when the election asks, and reach the callbacks and listeners
 * only through the callback loop.
 */
final class WatcherLoop {

	private static final Logger LOGGER = LoggerFactory.getLogger(Watcher.class);

	/** The watcher's logger, or a silent one for a {@linkplain HandoverRehearsal rehearsal}. */
	private final Logger logger;

	private final String group;

	private final String instanceId;

	private final Supplier<String> sessions;

	private final FailoverConfig config;

	private final Transport transport;

	private final FailoverClock clock;

	private final RecordCodec codec;

	private final WatcherStats stats;

	private final Election election;

	private final CallbackLoop callbacks;

	private final PendingRequests requests = new PendingRequests();

	private volatile boolean enabled;

	/** Set by a step-down request before the loop sees it, so the caller stops acting at once. */
	private volatile boolean relinquishing;

	private volatile Snapshot snapshot = Snapshot.offline();

	private volatile EventLoop loop;

	private final ProcessProbeLink probe;

	// ---- owned by the loop

	private Subscription subscription;

	private Cancellable timer = Cancellable.NONE;

	private long timerAt = Long.MAX_VALUE;

	WatcherLoop(String group, String instanceId, Supplier<String> sessions, FailoverConfig config, Transport transport,
			FailoverClock clock, RandomGenerator random, RoleCallback onPromote, RoleCallback onDemote,
			WatcherStats stats, boolean quiet, ProcessProbes probes) {
		this.logger = quiet ? NOPLogger.NOP_LOGGER : LOGGER;
		this.group = group;
		this.instanceId = instanceId;
		this.sessions = sessions;
		this.config = config;
		this.transport = transport;
		this.clock = clock;
		this.callbacks = new CallbackLoop(this.logger, instanceId, onPromote, onDemote);
		this.stats = stats;
		this.codec = new RecordCodec(config.maxRecordSize(), config.signingKey(), config.acceptedSigningKeys(),
				config.acceptUnsigned());
		this.enabled = config.enabled();
		this.probe = new ProcessProbeLink(group, instanceId, config, probes);
		this.election = new Election(group, instanceId, config, random, stats.counters(), onPromote != null,
				onDemote != null);
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

	boolean isConnected() {
		return this.loop != null;
	}

	boolean isRelinquishing() {
		return this.relinquishing;
	}

	void addListener(RoleChangeListener listener, Executor executor) {
		this.callbacks.addListener(listener, executor);
	}

	void removeListener(RoleChangeListener listener) {
		this.callbacks.removeListener(listener);
	}

	/** Creates the loops and starts reading the log; failover is (being) enabled. */
	synchronized void connect(Role staticRole) {
		if (this.loop != null) {
			return;
		}
		// a session drawn now, not when the bean was built: two processes restored from one
		// snapshot (CRaC, a VM image) must not share it, or each takes the other's claims
		String session = this.sessions.get();
		// opened here, on the caller's thread, so that a port that cannot be bound fails the start;
		// open for the watcher's whole life: it closes only once the watcher acts no more
		String probeAddress = this.probe.open(session);
		this.callbacks.open(this.clock);
		this.loop = this.clock.newEventLoop("failover-" + this.group + "-" + this.instanceId);
		if (staticRole == Role.PRIMARY) {
			this.callbacks.announce(new RoleChange(this.instanceId, this.group, Role.PRIMARY, Role.SECONDARY, 0,
					Cause.FAILOVER_ENABLED, "failover enabled: joining group '" + this.group + "' as a secondary",
					this.clock.instant(), null), true);
		}
		this.loop.execute(() -> subscribe(session, probeAddress));
	}

	void setEnabled(boolean enabled) {
		boolean previous = this.enabled;
		this.enabled = enabled;
		EventLoop current = this.loop;
		if (current != null && previous != enabled) {
			current.execute(() -> handle(new Event.EnabledChanged(enabled)));
		}
	}

	CompletableFuture<Boolean> stepDown(String successor) {
		EventLoop current = this.loop;
		if (current == null) {
			return CompletableFuture.failedFuture(new IllegalStateException("Watcher '" + this.instanceId
					+ "' is not taking part in failover (not started, or failover never enabled)"));
		}
		this.relinquishing = true;
		PendingRequests.Request request = this.requests.register();
		CompletableFuture<Boolean> result = request.answer();
		current.execute(() -> {
			try {
				handle(new Event.StepDown(request.id(), successor));
			}
			finally {
				// only once the snapshot says secondary may isPrimary() stop relying on the flag
				this.relinquishing = false;
			}
		});
		return result;
	}

	CompletableFuture<Void> closeGracefully() {
		EventLoop current = this.loop;
		if (current == null) {
			return CompletableFuture.completedFuture(null);
		}
		PendingRequests.Request request = this.requests.register();
		CompletableFuture<Void> closed = request.answer().handle((value, error) -> null);
		current.execute(() -> handle(new Event.Close(request.id())));
		return closed;
	}

	/** Stops at once, announcing nothing: what a crash looks like to the others. */
	void closeAbruptly() {
		// acting no more before the probe endpoint closes: its end tells the others so
		this.snapshot = this.snapshot.closed();
		this.probe.close();
		Subscription current = this.subscription;
		if (current != null) {
			current.close();
		}
		EventLoop mainLoop = this.loop;
		if (mainLoop != null) {
			mainLoop.shutdown();
		}
		this.callbacks.shutdown();
	}

	// ---- on the loop

	private void subscribe(String session, String probe) {
		if (this.subscription != null) {
			return;
		}
		handle(new Event.Start(session, this.enabled, probe));
		EventLoop mainLoop = this.loop;
		this.subscription = this.transport.subscribe(this.group, 0, Duration.ofNanos(this.election.progressNanos()),
				new LogListener() {
					@Override
					public void onRecord(long offset, String key, byte[] value) {
						mainLoop.execute(() -> recordRead(offset, key, value));
					}

					@Override
					public void onProgress(long endOffset, long observedAtNanos) {
						mainLoop.execute(() -> handle(new Event.Progress(endOffset, observedAtNanos)));
					}

					@Override
					public void onLogReplaced(String reason) {
						mainLoop.execute(() -> handle(new Event.LogReplaced(reason)));
					}

					@Override
					public void onError(Throwable error) {
						mainLoop.execute(() -> handle(new Event.ReadFailed(error)));
					}
				});
	}

	private void recordRead(long offset, String key, byte[] value) {
		if (value == null && key != null && !key.equals(Transport.groupKey(this.group))) {
			// a tombstone that deletes a member's presence from the compacted topic
			handle(new Event.MemberDeleted(offset, Transport.memberId(this.group, key)));
			return;
		}
		handle(new Event.RecordRead(offset, this.codec.decode(value)));
	}

	/** Hands an event to the election, at the time it is handled, and carries out its effects. */
	private void handle(Event event) {
		List<Effect> effects = this.election.handle(event, this.clock.nanoTime(), this.clock.instant());
		for (Effect effect : effects) {
			if (effect instanceof Effect.PublishState || effect instanceof Effect.Announce) {
				// before any record of this event is written, and before any listener is told
				this.snapshot = this.election.snapshot();
				break;
			}
		}
		for (Effect effect : effects) {
			apply(effect);
		}
	}

	private void apply(Effect effect) {
		if (effect instanceof Effect.Publish publish) {
			publish(publish);
		}
		else if (effect instanceof Effect.SetTimer timer) {
			scheduleTimer(timer.at());
		}
		else if (effect instanceof Effect.Log line) {
			log(line);
		}
		else if (effect instanceof Effect.Announce announce) {
			this.callbacks.announce(announce.change(), false);
		}
		else if (effect instanceof Effect.RunDemote demote) {
			runDemote(demote.epoch(), demote.token());
		}
		else if (effect instanceof Effect.RunPromote promote) {
			runPromote(promote.epoch());
		}
		else if (effect instanceof Effect.Complete complete) {
			this.requests.complete(complete);
		}
		else if (effect instanceof Effect.Terminate) {
			terminate();
		}
		else if (effect instanceof Effect.WatchProbe watchProbe) {
			watchProbe(watchProbe);
		}
	}

	private void publish(Effect.Publish publish) {
		long ref = publish.ref();
		ProtocolRecord record = publish.record();
		String key = (record == null || record.type() == RecordType.STANDBY)
				? Transport.memberKey(this.group, this.instanceId) : Transport.groupKey(this.group);
		CompletableFuture<Long> result;
		try {
			byte[] value = (record != null) ? this.codec.encode(record) : null;
			// a record a failover waits for may rely on the transport's check of the topic
			// made for this member's previous record (at most an interval old: heartbeats and
			// presence records) instead of a new one
			result = publish.awaited()
					? this.transport.publishPromptly(this.group, key, value, this.config.heartbeatInterval())
					: this.transport.publish(this.group, key, value);
		}
		catch (RuntimeException ex) {
			result = CompletableFuture.failedFuture(ex);
		}
		String type = (record != null) ? record.type().name() : "tombstone";
		EventLoop mainLoop = this.loop;
		result.whenComplete((offset, error) -> {
			if (error != null) {
				this.stats.publishFailed();
				mainLoop.execute(() -> handle(new Event.PublishFailed(ref, type, error)));
			}
			else if (ref != 0) {
				mainLoop.execute(() -> handle(new Event.Published(ref, offset)));
			}
		});
	}

	private void scheduleTimer(long at) {
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
			handle(new Event.Tick());
		}, Math.max(0, at - this.clock.nanoTime()));
	}

	private void log(Effect.Log line) {
		switch (line.level()) {
			case INFO -> this.logger.info(line.message());
			case WARN -> this.logger.warn(line.message());
			case ERROR -> this.logger.error(line.message(), line.error());
		}
	}

	private void terminate() {
		this.timer.cancel();
		Subscription current = this.subscription;
		// closing a subscription or the probes may wait for a thread: never on the event loop
		this.callbacks.execute(() -> {
			this.probe.close();
			if (current != null) {
				current.close();
			}
			this.callbacks.shutdown();
		});
		this.loop.shutdown();
	}

	/** Runs the promote callback off the loop; its return comes back as an event. */
	private void runPromote(long epoch) {
		EventLoop mainLoop = this.loop;
		this.callbacks.promote(epoch, (error) -> mainLoop.execute(() -> handle(new Event.PromoteDone(epoch, error))));
	}

	/** Runs the demote callback off the loop; its return comes back as an event if asked for. */
	private void runDemote(long epoch, long token) {
		EventLoop mainLoop = this.loop;
		this.callbacks.demote(epoch,
				(token != 0) ? () -> mainLoop.execute(() -> handle(new Event.DemoteDone(token))) : null);
	}

	/** Watches the endpoint the election names, instead of the one watched so far. */
	private void watchProbe(Effect.WatchProbe target) {
		EventLoop mainLoop = this.loop;
		String instance = target.instanceId();
		String session = target.session();
		this.probe.watch(target.address(), instance, session,
				() -> mainLoop.execute(() -> handle(new Event.ProcessGone(instance, session))));
	}

}
