package dev.failover.bench;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import dev.failover.core.FailoverConfig;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.kafka.KafkaTransport;

/**
 * One failover group of the 100-group benchmark: two core watchers, one on each of two Kafka
 * transports (as if on two machines), and every promotion either of them reported.
 */
final class GroupPair {

	private final String group;

	private final FailoverConfig config;

	private final KafkaTransport[] transports;

	private final Watcher[] watchers = new Watcher[2];

	private final BlockingQueue<RoleChange> promotions = new LinkedBlockingQueue<>();

	GroupPair(String group, FailoverConfig config, KafkaTransport sideA, KafkaTransport sideB) {
		this.group = group;
		this.config = config;
		this.transports = new KafkaTransport[] { sideA, sideB };
		for (int side = 0; side < 2; side++) {
			this.watchers[side] = create(side);
		}
	}

	String group() {
		return this.group;
	}

	void start() {
		for (Watcher watcher : this.watchers) {
			watcher.start();
		}
	}

	/**
	 * Returns the side whose watcher is primary, if exactly one is.
	 * @return 0 or 1, or empty
	 */
	Optional<Integer> primarySide() {
		boolean a = this.watchers[0].isPrimary();
		boolean b = this.watchers[1].isPrimary();
		return (a != b) ? Optional.of(a ? 0 : 1) : Optional.empty();
	}

	/**
	 * Returns whether the group has one primary and the other side follows it.
	 * @return {@code true} once settled
	 */
	boolean settled() {
		return primarySide().isPresent() && this.watchers[0].epoch() == this.watchers[1].epoch()
				&& this.watchers[0].status().logReachable() && this.watchers[1].status().logReachable();
	}

	Watcher watcher(int side) {
		return this.watchers[side];
	}

	/**
	 * Crashes one side's watcher: it stops at once, as a killed process would.
	 * @param side 0 or 1
	 */
	void crash(int side) {
		this.watchers[side].closeAbruptly();
	}

	/**
	 * Replaces a crashed watcher with a new one of the same instance id, as a restarted
	 * process, and starts it.
	 * @param side 0 or 1
	 */
	void restart(int side) {
		this.watchers[side] = create(side);
		this.watchers[side].start();
	}

	/**
	 * Returns the promotions reported so far, and forgets them.
	 * @return the promotions
	 */
	java.util.List<RoleChange> drainPromotions() {
		java.util.List<RoleChange> drained = new java.util.ArrayList<>();
		this.promotions.drainTo(drained);
		return drained;
	}

	void close() {
		for (Watcher watcher : this.watchers) {
			watcher.closeAbruptly();
		}
	}

	private Watcher create(int side) {
		return Watcher.builder()
			.group(this.group)
			.instanceId(this.group + "-" + (char) ('a' + side))
			.transport(this.transports[side])
			.config(this.config)
			.listener((change) -> {
				if (change.isPromotion()) {
					this.promotions.add(change);
				}
			})
			.build();
	}

}
