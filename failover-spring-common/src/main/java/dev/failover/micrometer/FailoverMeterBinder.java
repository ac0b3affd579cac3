package dev.failover.micrometer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.failover.core.Role;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.core.WatcherStats;
import dev.failover.core.RejectReason;

/**
 * Binds a watcher's state and counters to Micrometer. Every meter carries the tag
 * {@code group}.
 * <ul>
 * <li>{@code failover.role} (tag {@code role}): 1 for the current role, 0 for the other;</li>
 * <li>{@code failover.epoch}: the group's current epoch;</li>
 * <li>{@code failover.heartbeat.age} (a time gauge): time since the last heartbeat;</li>
 * <li>{@code failover.log.reachable}: 1 while the heartbeat topic is readable;</li>
 * <li>{@code failover.heartbeats.sent}, {@code failover.heartbeats.received};</li>
 * <li>{@code failover.claims.sent}, {@code failover.claims.won} (won ones are among those sent);</li>
 * <li>{@code failover.role.transitions} (tags {@code from}, {@code to}, {@code cause});</li>
 * <li>{@code failover.records.rejected} (tag {@code reason});</li>
 * <li>{@code failover.promotion.duration}: from the previous primary's last sign of life
 * to this instance's promotion.</li>
 * </ul>
 */
public class FailoverMeterBinder implements MeterBinder {

	private final Watcher watcher;

	private final Tags tags;

	// every registry this binder is bound to (it may be bound to several)
	private final List<Bound> bound = new CopyOnWriteArrayList<>();

	/**
	 * Creates a binder.
	 * @param watcher the watcher to measure
	 */
	public FailoverMeterBinder(Watcher watcher) {
		this.watcher = watcher;
		this.tags = Tags.of("group", watcher.group());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Watcher w = this.watcher;
		Tags tags = this.tags;
		for (Role role : Role.values()) {
			Gauge.builder("failover.role", w, (watcher) -> (watcher.role() == role) ? 1 : 0)
				.tags(tags.and("role", role.label()))
				.description("Whether this instance currently has the role (1) or not (0)")
				.register(registry);
		}
		Gauge.builder("failover.epoch", w, Watcher::epoch)
			.tags(tags)
			.description("The group's current epoch as known by this instance")
			.register(registry);
		TimeGauge.builder("failover.heartbeat.age", w, TimeUnit.SECONDS, FailoverMeterBinder::heartbeatAgeSeconds)
			.tags(tags)
			.description("Time since the last heartbeat (renewed on the primary, received on a secondary)")
			.register(registry);
		Gauge.builder("failover.log.reachable", w, (watcher) -> watcher.status().logReachable() ? 1 : 0)
			.tags(tags)
			.description("Whether the heartbeat topic was readable recently (1) or not (0)")
			.register(registry);
		WatcherStats stats = w.stats();
		FunctionCounter.builder("failover.heartbeats.sent", stats, WatcherStats::heartbeatsSent)
			.tags(tags)
			.description("Heartbeats published by this instance as primary")
			.register(registry);
		FunctionCounter.builder("failover.heartbeats.received", stats, WatcherStats::heartbeatsReceived)
			.tags(tags)
			.description("Heartbeats of the primary read by this instance")
			.register(registry);
		// two names, not one with an outcome tag: won claims are a subset of those sent, and
		// summing over a tag would count them twice
		FunctionCounter.builder("failover.claims.sent", stats, WatcherStats::claimsSent)
			.tags(tags)
			.description("Claims of the primary role written by this instance")
			.register(registry);
		FunctionCounter.builder("failover.claims.won", stats, WatcherStats::claimsWon)
			.tags(tags)
			.description("Claims of the primary role won by this instance (a subset of those sent)")
			.register(registry);
		for (RejectReason reason : RejectReason.values()) {
			FunctionCounter.builder("failover.records.rejected", stats, (s) -> s.rejected(reason))
				.tags(tags.and("reason", reason.tag()))
				.description("Records read from the heartbeat topic and ignored, by reason")
				.register(registry);
		}
		// registered up front, so that the listener only increments: a role change reaches the
		// application's listeners after this one, and a lookup through the registry's filters
		// would stand between a promotion and the application hearing of it
		Map<Transition, Counter> transitions = new HashMap<>();
		// every edge a RoleChange can be (it never joins a role to itself), with every cause
		for (Role from : Role.values()) {
			for (Role to : Role.values()) {
				for (RoleChange.Cause cause : RoleChange.Cause.values()) {
					if (from != to) {
						transitions.put(new Transition(from, to, cause), transitions(registry, tags, from, to, cause));
					}
				}
			}
		}
		Timer promotion = Timer.builder("failover.promotion.duration")
			.tags(tags)
			.description("Time from the previous primary's last heartbeat (or shutdown notice) to this promotion")
			.register(registry);
		synchronized (this.bound) {
			if (this.bound.isEmpty()) {
				// one watcher listener serves every registry bound from now on
				w.addListener(this::record);
			}
			// bound twice to one registry, a role change must still count once there
			if (this.bound.stream().noneMatch((target) -> target.registry == registry)) {
				this.bound.add(new Bound(registry, Map.copyOf(transitions), promotion));
			}
		}
	}

	/** Counts a role change, and times a promotion, in every registry this binder is bound to. */
	private void record(RoleChange change) {
		for (Bound target : this.bound) {
			target.transitions.get(new Transition(change.oldRole(), change.newRole(), change.cause())).increment();
			if (change.isPromotion() && change.sinceLastHeartbeat() != null) {
				target.promotion.record(change.sinceLastHeartbeat());
			}
		}
	}

	private static Counter transitions(MeterRegistry registry, Tags tags, Role from, Role to, RoleChange.Cause cause) {
		return Counter.builder("failover.role.transitions")
			.tags(tags.and("from", from.label(), "to", to.label(), "cause", cause.name().toLowerCase(java.util.Locale.ROOT)))
			.description("Role changes of this instance")
			.register(registry);
	}

	/** The tags of one role-transition counter. */
	private record Transition(Role from, Role to, RoleChange.Cause cause) {
	}

	/** A registry this binder is bound to, with the meters the listener updates in it. */
	private record Bound(MeterRegistry registry, Map<Transition, Counter> transitions, Timer promotion) {
	}

	private static double heartbeatAgeSeconds(Watcher watcher) {
		Instant last = watcher.lastHeartbeat().orElse(null);
		if (last == null) {
			return Double.NaN;
		}
		return Math.max(0, Duration.between(last, Instant.now()).toNanos() / 1e9);
	}

}
