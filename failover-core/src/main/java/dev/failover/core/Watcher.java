package dev.failover.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.failover.core.spi.FailoverClock;
import dev.failover.core.spi.ProcessProbes;
import dev.failover.core.spi.Transport;

/**
 * Keeps one instance of a failover group primary and the others secondary, over an ordered
 * log ({@link Transport}).
 * <p>
 * The primary publishes heartbeats; secondaries watch them, and when the primary is silent
 * for the heartbeat timeout, or announces that it leaves, they claim the next epoch. The
 * log decides: the first valid claim wins, and every instance reads the same outcome. The
 * primary holds a lease that only heartbeats it has read back can renew, and
 * {@link #isPrimary()} checks it at call time, so a primary cut off from the log, or
 * paused, knows it is no longer primary before anybody else can take over.
 * <p>
 * Life cycle: {@link #start()} once; {@link #close()} (or {@link #shutdown(Duration)}) to
 * leave gracefully: a primary stops acting first, then announces its departure so that a
 * secondary takes over at once. Closing is safe before starting and more than once.
 * <p>
 * With failover disabled ({@link FailoverConfig#enabled()} false), a started watcher opens
 * no connection and starts no thread: it keeps its configured {@link FailoverConfig#role()}
 * statically. {@link #setEnabled(boolean) Enabling} it at runtime joins the group as a
 * secondary; disabling it on a running watcher keeps it watching but stops it from ever
 * claiming (a primary stays primary).
 * <p>
 * Thread-safe. All protocol work runs on one event loop per watcher; listeners and
 * callbacks run on a separate callback thread and can never delay a heartbeat.
 */
public final class Watcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Watcher.class);

	/** The life cycle of a watcher. */
	public enum State {

		/** Created, not started. */
		LATENT,

		/** Started. */
		STARTED,

		/** Closed (or closing); never primary again. */
		CLOSED

	}

	private final String group;

	private final String instanceId;

	private final FailoverConfig config;

	private final FailoverClock clock;

	private final WatcherStats stats = new WatcherStats();

	private final WatcherLoop loop;

	private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private Watcher(Builder builder) {
		this.group = WatcherIds.requireId("group", builder.group);
		this.instanceId = WatcherIds.requireId("instance-id", builder.instanceId);
		this.config = Objects.requireNonNull(builder.config, "config");
		this.clock = Objects.requireNonNull(builder.clock, "clock");
		Transport transport = Objects.requireNonNull(builder.transport, "transport");
		RandomGenerator random = (builder.random != null) ? builder.random : new SplittableRandom();
		this.loop = new WatcherLoop(this.group, this.instanceId, WatcherIds::newSession, this.config, transport, this.clock,
				random,
				builder.callbacks.promote(), builder.callbacks.demote(), this.stats, builder.quiet, builder.probes);
		for (int i = 0; i < builder.listeners.size(); i++) {
			this.loop.addListener(builder.listeners.get(i), builder.listenerExecutors.get(i));
		}
	}

	/**
	 * Returns whether this watcher was built {@linkplain Builder#quiet() quiet}.
	 * @return {@code true} for a rehearsal's watcher
	 */
	boolean isQuiet() {
		return this.loop.isQuiet();
	}

	/**
	 * Returns a new builder.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Creates a watcher whose preferred role is primary: it claims first.
	 * @param group the failover group
	 * @param instanceId this instance's unique id
	 * @param transport the log
	 * @param config the settings (the role is overridden)
	 * @return a new, unstarted watcher
	 */
	public static Watcher forPrimary(String group, String instanceId, Transport transport, FailoverConfig config) {
		return builder().group(group)
			.instanceId(instanceId)
			.transport(transport)
			.config(config.toBuilder().role(Role.PRIMARY).build())
			.build();
	}

	/**
	 * Creates a watcher whose preferred role is secondary: it claims after preferred ones.
	 * @param group the failover group
	 * @param instanceId this instance's unique id
	 * @param transport the log
	 * @param config the settings (the role is overridden)
	 * @return a new, unstarted watcher
	 */
	public static Watcher forSecondary(String group, String instanceId, Transport transport, FailoverConfig config) {
		return builder().group(group)
			.instanceId(instanceId)
			.transport(transport)
			.config(config.toBuilder().role(Role.SECONDARY).build())
			.build();
	}

	/**
	 * Returns a readable instance id unique to this process: host name and process id.
	 * @return e.g. {@code web-3-48213}
	 */
	public static String defaultInstanceId() {
		return WatcherIds.defaultInstanceId();
	}

	/**
	 * Starts the watcher: with failover enabled it joins the group (as a secondary: it never
	 * assumes it is primary); with failover disabled it keeps its static role.
	 * @throws IllegalStateException if already started or closed
	 */
	public void start() {
		if (!this.state.compareAndSet(State.LATENT, State.STARTED)) {
			throw new IllegalStateException("Watcher '" + this.instanceId + "' cannot start: it is " + this.state.get());
		}
		if (this.loop.isEnabled()) {
			this.loop.connect(null);
		}
		else {
			logger.info("Failover is disabled for instance '{}' of group '{}': keeping the static role '{}'",
					this.instanceId, this.group, this.config.role());
		}
	}

	/**
	 * Leaves the group gracefully and returns at once. A primary stops acting, waits for its
	 * demote callback (bounded by one heartbeat interval), then announces its departure,
	 * handing its role to the best secondary so that it takes over immediately; it stops
	 * once it has read the successor's first heartbeat (at most one heartbeat interval, and
	 * half the shutdown timeout, later), so that the rest of the process's shutdown does
	 * not compete with the takeover.
	 * @return a future completed when the watcher has stopped
	 */
	public CompletableFuture<Void> shutdownAsync() {
		State previous = this.state.getAndSet(State.CLOSED);
		if (previous == State.CLOSED) {
			return this.closed;
		}
		if (previous == State.LATENT || !this.loop.isConnected()) {
			this.loop.closeAbruptly();
			this.closed.complete(null);
			return this.closed;
		}
		this.loop.closeGracefully().whenComplete((result, error) -> this.closed.complete(null));
		return this.closed;
	}

	/**
	 * Leaves the group gracefully (see {@link #shutdownAsync()}) and waits for the departure
	 * to be acknowledged, at most for the given time; then stops anyway. Safe before
	 * {@link #start()} and when called twice.
	 * @param timeout how long to wait
	 */
	public void shutdown(Duration timeout) {
		CompletableFuture<Void> future = shutdownAsync();
		try {
			this.clock.await(future, timeout);
		}
		catch (TimeoutException ex) {
			logger.warn("Instance '{}' did not finish leaving group '{}' within {}; stopping anyway", this.instanceId,
					this.group, Durations.format(timeout));
			this.loop.closeAbruptly();
			this.closed.complete(null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.loop.closeAbruptly();
			this.closed.complete(null);
		}
		catch (ExecutionException ex) {
			logger.warn("Instance '{}' failed to leave group '{}' cleanly", this.instanceId, this.group, ex.getCause());
			this.loop.closeAbruptly();
			this.closed.complete(null);
		}
	}

	/**
	 * Leaves the group gracefully, waiting up to {@link FailoverConfig#shutdownTimeout()}.
	 */
	@Override
	public void close() {
		shutdown(this.config.shutdownTimeout());
	}

	/**
	 * Stops at once without announcing anything, as a crash would: the group notices only
	 * when the heartbeat timeout expires. For tests, and for processes that must not write
	 * anything more.
	 */
	public void closeAbruptly() {
		this.state.set(State.CLOSED);
		this.loop.closeAbruptly();
		this.closed.complete(null);
	}

	/**
	 * Returns this instance's role right now; always agrees with {@link #isPrimary()}.
	 * @return {@link Role#PRIMARY} while primary, otherwise {@link Role#SECONDARY}
	 */
	public Role role() {
		return isPrimary() ? Role.PRIMARY : Role.SECONDARY;
	}

	/**
	 * Returns whether this instance is primary right now. Checks the lease at call time: a
	 * primary whose lease lapsed (log unreachable, or the process was paused) is not primary,
	 * even before its event loop has noticed. With failover disabled (and never enabled),
	 * returns whether the static role is primary.
	 * @return {@code true} if this instance may act as primary now
	 */
	public boolean isPrimary() {
		if (this.state.get() == State.CLOSED) {
			return false;
		}
		if (!this.loop.isConnected()) {
			return isStaticPrimary();
		}
		long now = this.clock.nanoTime();
		return !this.loop.isRelinquishing() && this.loop.snapshot().isPrimaryAt(now, wallNanos(this.clock));
	}

	private static long wallNanos(FailoverClock clock) {
		Instant wall = clock.instant();
		return wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
	}

	private boolean isStaticPrimary() {
		return !this.loop.isEnabled() && this.config.role() == Role.PRIMARY;
	}

	/**
	 * Returns the group's current epoch as known by this instance (0 before any primary).
	 * Never goes down.
	 * @return the epoch
	 */
	public long epoch() {
		return this.loop.snapshot().epoch();
	}

	/**
	 * Returns the group's primary as known by this instance: the holder of the current epoch,
	 * unless it has left. With failover disabled, this instance if its static role is primary.
	 * @return the primary's instance id
	 */
	public Optional<String> primaryId() {
		if (!this.loop.isConnected()) {
			return (this.state.get() != State.CLOSED && isStaticPrimary()) ? Optional.of(this.instanceId)
					: Optional.empty();
		}
		return Optional.ofNullable(this.loop.snapshot().primaryId());
	}

	/**
	 * Returns, on the primary, when it last renewed its lease with a heartbeat; on a
	 * secondary, when it last received a heartbeat from the primary.
	 * @return the time, or empty if none yet
	 */
	public Optional<Instant> lastHeartbeat() {
		return Optional.ofNullable(this.loop.snapshot().lastHeartbeat());
	}

	/**
	 * Enables or disables automatic failover at runtime. Enabling a watcher that started
	 * disabled joins the group (as a secondary). Disabling keeps the watcher reading the log,
	 * but it never claims the primary role (it warns once per episode when it would have);
	 * a primary stays primary.
	 * @param enabled whether to enable automatic failover
	 */
	public void setEnabled(boolean enabled) {
		boolean wasStaticPrimary = isStaticPrimary();
		this.loop.setEnabled(enabled);
		if (enabled && this.state.get() == State.STARTED && !this.loop.isConnected()) {
			this.loop.connect(wasStaticPrimary ? Role.PRIMARY : null);
		}
	}

	/**
	 * Returns whether automatic failover is enabled.
	 * @return {@code true} if enabled
	 */
	public boolean isEnabled() {
		return this.loop.isEnabled();
	}

	/**
	 * Hands the primary role over: stops acting as primary, waits for the demote callback
	 * (bounded by one heartbeat interval), then announces the departure so that a secondary
	 * claims at once. This instance will not claim again for one heartbeat interval.
	 * @return a future completed with {@code true} once the announcement is acknowledged, or
	 * {@code false} at once if this instance was not primary
	 */
	public CompletableFuture<Boolean> stepDown() {
		return this.loop.stepDown(null);
	}

	/**
	 * Hands the primary role over to a named successor, which claims at once; the other
	 * secondaries wait one heartbeat interval before claiming in its place.
	 * @param successor the successor's instance id
	 * @return a future completed with {@code true} once the announcement is acknowledged, or
	 * {@code false} at once if this instance was not primary
	 */
	public CompletableFuture<Boolean> switchover(String successor) {
		return this.loop.stepDown(WatcherIds.requireId("successor", successor));
	}

	/**
	 * Returns the members of the group seen recently (this instance included), by id.
	 * @return an immutable snapshot
	 */
	public List<Member> members() {
		return status().members();
	}

	/**
	 * Returns everything this watcher knows, as one consistent snapshot.
	 * @return the status
	 */
	public WatcherStatus status() {
		return WatcherStatusView.status(this, this.loop.snapshot(), isPrimary(), this.loop.isConnected(),
				this.clock.nanoTime(), this.clock.instant());
	}

	/**
	 * Returns one human-readable line describing this watcher, e.g. {@code group=orders
	 * instance=a role=primary epoch=3 primary=a enabled=true log=reachable
	 * last-heartbeat=0.4s ago members=3}.
	 * @return the status line
	 */
	public String formatStatus() {
		return formatStatus(status());
	}

	/**
	 * Returns the line of {@link #formatStatus()} for a status already taken, so that it
	 * agrees with the fields shown next to it.
	 * @param status a status of this watcher, from {@link #status()}
	 * @return the status line
	 */
	public String formatStatus(WatcherStatus status) {
		return WatcherStatusView.format(this, status, this.clock.instant());
	}

	/**
	 * Adds a listener called on the watcher's callback thread.
	 * @param listener the listener
	 */
	public void addListener(RoleChangeListener listener) {
		this.loop.addListener(listener, null);
	}

	/**
	 * Adds a listener called on the given executor.
	 * @param listener the listener
	 * @param executor where to call it
	 */
	public void addListener(RoleChangeListener listener, Executor executor) {
		this.loop.addListener(listener, Objects.requireNonNull(executor, "executor"));
	}

	/**
	 * Removes a listener.
	 * @param listener the listener
	 */
	public void removeListener(RoleChangeListener listener) {
		this.loop.removeListener(listener);
	}

	/**
	 * Returns this watcher's counters.
	 * @return the live counters
	 */
	public WatcherStats stats() {
		return this.stats;
	}

	/**
	 * Returns this instance's id.
	 * @return the instance id
	 */
	public String instanceId() {
		return this.instanceId;
	}

	/**
	 * Returns the failover group.
	 * @return the group
	 */
	public String group() {
		return this.group;
	}

	/**
	 * Returns the settings.
	 * @return the configuration
	 */
	public FailoverConfig config() {
		return this.config;
	}

	/**
	 * Returns the life-cycle state.
	 * @return the state
	 */
	public State state() {
		return this.state.get();
	}

	@Override
	public String toString() {
		return "Watcher[" + formatStatus() + "]";
	}

	/**
	 * Builds a {@link Watcher}.
	 */
	public static final class Builder {

		private String group;

		private String instanceId = defaultInstanceId();

		private Transport transport;

		private FailoverConfig config = FailoverConfig.defaults();

		private FailoverClock clock = FailoverClock.system();

		private RandomGenerator random;

		private final RoleCallbacks callbacks = new RoleCallbacks();

		private boolean quiet;

		private ProcessProbes probes;

		private final List<RoleChangeListener> listeners = new ArrayList<>();

		private final List<Executor> listenerExecutors = new ArrayList<>();

		private Builder() {
		}

		/**
		 * Sets the failover group (required).
		 * @param group the group name
		 * @return this builder
		 */
		public Builder group(String group) {
			this.group = group;
			return this;
		}

		/**
		 * Sets this instance's id (default: host name and process id).
		 * @param instanceId the id, unique in the group
		 * @return this builder
		 */
		public Builder instanceId(String instanceId) {
			this.instanceId = instanceId;
			return this;
		}

		/**
		 * Sets the log (required).
		 * @param transport the transport
		 * @return this builder
		 */
		public Builder transport(Transport transport) {
			this.transport = transport;
			return this;
		}

		/**
		 * Sets the settings (default {@link FailoverConfig#defaults()}).
		 * @param config the configuration
		 * @return this builder
		 */
		public Builder config(FailoverConfig config) {
			this.config = config;
			return this;
		}

		/**
		 * Sets the clock (default the system clock; tests use a virtual clock).
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(FailoverClock clock) {
			this.clock = clock;
			return this;
		}

		/**
		 * Sets the source of randomness for back-off jitter and session ids (tests seed it).
		 * @param random the generator
		 * @return this builder
		 */
		public Builder random(RandomGenerator random) {
			this.random = random;
			return this;
		}

		/**
		 * Adds a callback run before this instance becomes primary; if it throws, the
		 * instance stays secondary and retries later. Callbacks added by several parts of an
		 * application all run, in the order they were added; if one throws, the ones after
		 * it do not run and the demote callbacks added before it run, to undo what the
		 * earlier ones started.
		 * @param onPromote the callback
		 * @return this builder
		 */
		public Builder onPromote(RoleCallback onPromote) {
			this.callbacks.addPromote(Objects.requireNonNull(onPromote, "onPromote"));
			return this;
		}

		/**
		 * Adds a callback run after this instance stopped being primary. Demote callbacks
		 * all run, in the reverse order of registration (the last started is the first
		 * stopped); one that throws is logged and the others still run.
		 * @param onDemote the callback
		 * @return this builder
		 */
		public Builder onDemote(RoleCallback onDemote) {
			this.callbacks.addDemote(Objects.requireNonNull(onDemote, "onDemote"));
			return this;
		}

		/**
		 * Adds a listener called on the watcher's callback thread.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(RoleChangeListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			this.listenerExecutors.add(null);
			return this;
		}

		/**
		 * Adds a listener called on the given executor.
		 * @param listener the listener
		 * @param executor where to call it
		 * @return this builder
		 */
		public Builder listener(RoleChangeListener listener, Executor executor) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			this.listenerExecutors.add(Objects.requireNonNull(executor, "executor"));
			return this;
		}

		/**
		 * Makes the watcher log nothing about its role changes (a failing listener or event loop
		 * is still logged): for a {@link HandoverRehearsal}, whose role changes
		 * are not the application's.
		 * @return this builder
		 */
		/**
		 * Sets how this watcher's process shows it is alive and watches the primary's, when
		 * {@link FailoverConfig#processProbe()} is on (default: over TCP, on the configured
		 * host and port); tests give an in-memory one.
		 * @param probes the probes
		 * @return this builder
		 */
		public Builder processProbes(ProcessProbes probes) {
			this.probes = Objects.requireNonNull(probes, "probes");
			return this;
		}

		Builder quiet() {
			this.quiet = true;
			return this;
		}

		/**
		 * Builds the watcher (not started).
		 * @return the watcher
		 * @throws FailoverConfigException if the group or instance id is invalid
		 */
		public Watcher build() {
			return new Watcher(this);
		}

	}

}
