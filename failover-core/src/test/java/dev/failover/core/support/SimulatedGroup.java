package dev.failover.core.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

import dev.failover.core.FailoverConfig;
import dev.failover.core.Role;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.core.testing.InMemoryLog;
import dev.failover.core.testing.InMemoryProbes;
import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;
import dev.failover.core.testing.VirtualClock;

/**
 * A failover group of watchers on one in-memory log under virtual time, with the safety
 * invariants of docs/PROTOCOL.md ("Why there are never two primaries") checked after every
 * simulated task.
 */
public final class SimulatedGroup implements AutoCloseable {

	public static final FailoverConfig FAST = FailoverConfig.builder()
		.enabled(true)
		.heartbeatInterval(Duration.ofSeconds(1))
		.heartbeatTimeout(Duration.ofSeconds(3))
		.build();

	/**
	 * How long the first election of a new group may take: on an empty log the first claim
	 * waits a full timeout (the log may have been replaced under a primary a moment ago), and
	 * a round trip or two.
	 */
	public static final Duration FIRST_ELECTION = FAST.heartbeatTimeout().plusSeconds(2);

	public final VirtualClock clock = new VirtualClock();

	public final InMemoryLog log = new InMemoryLog(this.clock);

	/** The process probes between the instances (used by those whose configuration turns them on). */
	public final InMemoryProbes probes = new InMemoryProbes(this.clock);

	public final String group;

	private final FailoverConfig config;

	private final SplittableRandom random;

	private final Map<String, Watcher> watchers = new LinkedHashMap<>();

	private final Map<String, Long> highestEpoch = new LinkedHashMap<>();

	private final List<RoleChange> changes = new CopyOnWriteArrayList<>();

	private final List<String> violations = new ArrayList<>();

	private final java.util.Set<Watcher> primaryBefore = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

	private long lastPrimaryEpoch;

	private boolean epochReuseAllowed;

	private UnaryOperator<Watcher.Builder> customizer = UnaryOperator.identity();

	private final List<BiConsumer<String, byte[]>> publishObservers = new CopyOnWriteArrayList<>();

	public SimulatedGroup(String group, FailoverConfig config, long seed) {
		this.group = group;
		this.config = config;
		this.random = new SplittableRandom(seed);
		this.clock.onEachTask(this::checkInvariants);
	}

	public SimulatedGroup(FailoverConfig config) {
		this("orders", config, 42);
	}

	public SimulatedGroup customize(UnaryOperator<Watcher.Builder> customizer) {
		this.customizer = customizer;
		return this;
	}

	/** Starts (or restarts, with a new session) an instance. */
	public Watcher start(String instanceId) {
		return start(instanceId, this.config);
	}

	public Watcher start(String instanceId, FailoverConfig config) {
		Watcher previous = this.watchers.get(instanceId);
		if (previous != null && previous.state() != Watcher.State.CLOSED) {
			throw new IllegalStateException(instanceId + " is still running");
		}
		Watcher watcher = this.customizer.apply(Watcher.builder()
			.group(this.group)
			.instanceId(instanceId)
			.transport(observed(instanceId, this.log.connect(instanceId)))
			.config(config)
			.clock(this.clock)
			.processProbes(this.probes)
			.random(this.random.split())
			.listener(this.changes::add))
			.build();
		this.watchers.put(instanceId, watcher);
		this.highestEpoch.put(instanceId, 0L);
		watcher.start();
		return watcher;
	}

	/**
	 * Registers an observer of every record an instance hands to its transport, called on
	 * the publishing thread (the instance's event loop) at the moment of the call.
	 * @param observer receives the instance id and the encoded record
	 */
	public void onPublish(BiConsumer<String, byte[]> observer) {
		this.publishObservers.add(observer);
	}

	private Transport observed(String instanceId, Transport transport) {
		return new Transport() {

			@Override
			public java.util.concurrent.CompletableFuture<Long> publish(String group, String key, byte[] value) {
				for (BiConsumer<String, byte[]> observer : SimulatedGroup.this.publishObservers) {
					observer.accept(instanceId, value);
				}
				return transport.publish(group, key, value);
			}

			@Override
			public Subscription subscribe(String group, long fromOffset, Duration progressInterval,
					dev.failover.core.spi.LogListener listener) {
				return transport.subscribe(group, fromOffset, progressInterval, listener);
			}

		};
	}

	public List<Watcher> startAll(String... instanceIds) {
		List<Watcher> started = new ArrayList<>();
		for (String id : instanceIds) {
			started.add(start(id));
		}
		return started;
	}

	public Watcher get(String instanceId) {
		return this.watchers.get(instanceId);
	}

	public List<Watcher> running() {
		return this.watchers.values().stream().filter((w) -> w.state() == Watcher.State.STARTED).toList();
	}

	public List<Watcher> primaries() {
		return this.watchers.values().stream().filter(Watcher::isPrimary).toList();
	}

	public Watcher primary() {
		List<Watcher> primaries = primaries();
		return primaries.isEmpty() ? null : primaries.get(0);
	}

	/** Runs time until one instance is primary, then lets the tasks due at that instant run (listeners). */
	public boolean awaitPrimary(Duration max) {
		boolean reached = this.clock.advanceUntil(() -> primaries().size() == 1, max);
		this.clock.advance(Duration.ZERO);
		return reached;
	}

	public boolean awaitPrimaryOtherThan(String instanceId, Duration max) {
		boolean reached = this.clock.advanceUntil(
				() -> primaries().size() == 1 && !primaries().get(0).instanceId().equals(instanceId), max);
		this.clock.advance(Duration.ZERO);
		return reached;
	}

	public void advance(Duration duration) {
		this.clock.advance(duration);
	}

	public List<RoleChange> changes() {
		return List.copyOf(this.changes);
	}

	/**
	 * Stops checking that every new primary's epoch is above the previous primary's (no two
	 * primaries at once is still checked): for a log replaced while the members that knew its
	 * epochs could not write (paused, cut off), so that a member joining the new log could
	 * not learn them, as PROTOCOL.md states.
	 */
	public void allowEpochReuse() {
		this.epochReuseAllowed = true;
	}

	/** The settings instances start with unless told otherwise. */
	public FailoverConfig config() {
		return this.config;
	}

	/** The highest epoch any instance was primary at so far. */
	public long lastPrimaryEpoch() {
		return this.lastPrimaryEpoch;
	}

	public List<String> violations() {
		return List.copyOf(this.violations);
	}

	private void checkInvariants() {
		List<String> primaries = new ArrayList<>();
		for (Watcher watcher : this.watchers.values()) {
			if (watcher.isPrimary()) {
				primaries.add(watcher.instanceId());
			}
		}
		for (Watcher watcher : this.watchers.values()) {
			boolean primary = watcher.isPrimary();
			if (primary && !this.primaryBefore.contains(watcher)) {
				if (watcher.epoch() <= this.lastPrimaryEpoch && !this.epochReuseAllowed && this.violations.size() < 20) {
					this.violations.add(watcher.instanceId() + " became primary at epoch " + watcher.epoch()
							+ ", not above the previous primary's epoch " + this.lastPrimaryEpoch + " at "
							+ this.clock.elapsed());
				}
				this.lastPrimaryEpoch = Math.max(this.lastPrimaryEpoch, watcher.epoch());
				this.primaryBefore.add(watcher);
			}
			else if (!primary) {
				this.primaryBefore.remove(watcher);
			}
		}
		if (primaries.size() > 1 && this.violations.size() < 20) {
			this.violations.add("two primaries at " + this.clock.elapsed() + ": " + primaries);
		}
		for (Map.Entry<String, Watcher> entry : this.watchers.entrySet()) {
			long epoch = entry.getValue().epoch();
			Long before = this.highestEpoch.get(entry.getKey());
			if (epoch < before && this.violations.size() < 20) {
				this.violations.add(entry.getKey() + " epoch went down from " + before + " to " + epoch + " at "
						+ this.clock.elapsed());
			}
			this.highestEpoch.put(entry.getKey(), Math.max(before, epoch));
		}
	}

	/** Freezes an instance's process (a long GC pause, SIGSTOP): its loops stop running. */
	public void pauseProcess(String instanceId) {
		for (dev.failover.core.spi.EventLoop loop : this.clock.loops()) {
			if (belongsTo(loop, instanceId)) {
				this.clock.pause(loop);
			}
		}
	}

	/** Resumes a frozen process. */
	public void resumeProcess(String instanceId) {
		for (dev.failover.core.spi.EventLoop loop : this.clock.loops()) {
			if (belongsTo(loop, instanceId) && this.clock.isPaused(loop)) {
				this.clock.resume(loop);
			}
		}
	}

	public boolean isPaused(String instanceId) {
		for (dev.failover.core.spi.EventLoop loop : this.clock.loops()) {
			if (belongsTo(loop, instanceId) && this.clock.isPaused(loop)) {
				return true;
			}
		}
		return false;
	}

	private boolean belongsTo(dev.failover.core.spi.EventLoop loop, String instanceId) {
		return loop.name().equals("failover-" + this.group + "-" + instanceId)
				|| loop.name().equals("failover-callbacks-" + instanceId);
	}

	public Role roleOf(String instanceId) {
		return this.watchers.get(instanceId).role();
	}

	@Override
	public void close() {
		for (Watcher watcher : this.watchers.values()) {
			watcher.closeAbruptly();
		}
		this.log.close();
	}

}
