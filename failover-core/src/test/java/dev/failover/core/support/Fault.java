package dev.failover.core.support;

import java.time.Duration;
import java.util.List;

import dev.failover.core.Role;
import dev.failover.core.Watcher;
import dev.failover.core.internal.election.GroupLog;
import dev.failover.core.wire.DecodeResult;
import dev.failover.core.wire.ProtocolRecord;
import dev.failover.core.wire.RecordCodec;
import dev.failover.core.wire.RecordType;
import dev.failover.core.spi.EventLoop;
import dev.failover.core.testing.InMemoryLog;
import dev.failover.core.spi.Transport;

/**
 * One fault of a random schedule against a {@link SimulatedGroup}: what processes, the
 * network and Kafka do to a group (crashes, restarts, pauses, delays, partitions, lost
 * writes, withheld progress, switchovers, step-downs, shutdowns, disabling; compaction, a
 * replaced or truncated log, a late claim), shared by the property tests.
 *
 * @param kind what happens
 * @param target which instance (modulo the group's size)
 * @param afterMillis how long after the previous fault
 * @param durationMillis how long it lasts, where it lasts
 * @param other a second parameter: a delay factor, a switchover's target, a lag factor
 */
public record Fault(Fault.Kind kind, int target, int afterMillis, int durationMillis, int other) {

	/** What a fault does. */
	public enum Kind {

		CRASH, RESTART, PAUSE, DELAY, PARTITION, DROP_WRITES, WITHHOLD_PROGRESS, SWITCHOVER, STEP_DOWN, SHUTDOWN,
		DISABLE,

		/** Kafka's log cleaner: the latest record per key, for records older than the compaction lag. */
		COMPACT,

		/** The topic deleted and created again while the group runs; readers are told (topic id). */
		REPLACE,

		/** An unclean leader election: the tail of the log lost; readers are told (truncation detection). */
		TRUNCATE,

		/** The topic replaced, readers not told: they must notice that offsets went back. */
		REPLACE_SILENTLY,

		/** A claim that lands late (its writer's view was stale), then its writer dies. */
		LATE_CLAIM

	}

	/**
	 * Applies the fault to the group now; a fault that lasts is undone on {@code faultLoop}.
	 * @param group the group
	 * @param faultLoop a loop of the group's clock for the undoing
	 * @param ids the instance ids, in order
	 */
	public void applyTo(SimulatedGroup group, EventLoop faultLoop, List<String> ids) {
		Fault fault = this;
		String id = ids.get(fault.target() % ids.size());
		Watcher watcher = group.get(id);
		boolean running = watcher.state() == Watcher.State.STARTED;
		long duration = Duration.ofMillis(fault.durationMillis()).toNanos();
		switch (fault.kind()) {
			case CRASH -> {
				if (running) {
					watcher.closeAbruptly();
				}
			}
			case RESTART -> {
				if (!running) {
					group.start(id);
				}
			}
			case PAUSE -> {
				if (running && !group.isPaused(id)) {
					group.pauseProcess(id);
					faultLoop.schedule(() -> group.resumeProcess(id), duration);
				}
			}
			case DELAY -> {
				group.log.setDelay(id, Duration.ofMillis(fault.other() * 400L));
				faultLoop.schedule(() -> group.log.setDelay(id, Duration.ZERO), duration);
			}
			case PARTITION -> {
				group.log.partition(id);
				faultLoop.schedule(() -> group.log.heal(id), duration);
			}
			case DROP_WRITES -> {
				group.log.dropPublishes(id, true);
				faultLoop.schedule(() -> group.log.dropPublishes(id, false), duration);
			}
			case WITHHOLD_PROGRESS -> {
				// the watcher must date its view from its own records alone
				group.log.withholdProgress(id, true);
				faultLoop.schedule(() -> group.log.withholdProgress(id, false), duration);
			}
			case SWITCHOVER -> {
				Watcher primary = group.primary();
				if (primary != null) {
					primary.switchover(ids.get(fault.other() % ids.size()));
				}
			}
			case STEP_DOWN -> {
				Watcher primary = group.primary();
				if (primary != null) {
					primary.stepDown();
				}
			}
			case SHUTDOWN -> {
				if (running) {
					watcher.shutdownAsync();
				}
			}
			case COMPACT -> {
				// the cleaner never touches records younger than min.compaction.lag.ms; the
				// documented minimum is several timeouts
				long lag = group.config().heartbeatTimeout().multipliedBy(2 + fault.other()).toNanos();
				group.log.compact(group.log.firstOffsetAppendedAfter(group.clock.nanoTime() - lag));
			}
			case REPLACE, TRUNCATE, REPLACE_SILENTLY -> {
				// as operators and Kafka do it: the partition is unavailable for a while (the
				// topic deleted, or no leader until an unclean one is elected), at least a
				// timeout as PROTOCOL.md requires, then the new log appears and readers come back.
				// A group entirely down while its topic is replaced starts its epochs again:
				// that is an operator's error PROTOCOL.md names, not a schedule to check
				if (group.running().isEmpty()) {
					return;
				}
				for (String each : ids) {
					group.log.partition(each);
				}
				long outage = group.config().heartbeatTimeout().toNanos() + Duration.ofMillis(fault.durationMillis()).toNanos();
				faultLoop.schedule(() -> {
					if (group.running().stream().anyMatch((w) -> group.isPaused(w.instanceId())) || group.log.hasFaults()
							|| group.running().stream().noneMatch((w) -> w.epoch() >= group.lastPrimaryEpoch())) {
						// nobody who knows the epochs is running, or one that does may not be
						// able to tell the new log of them before a joiner claims on it
						group.allowEpochReuse();
					}
					if (fault.kind() == Kind.TRUNCATE) {
						group.log.truncate(Math.max(0, group.log.size() - 1 - fault.other()), true);
					}
					else {
						group.log.replace(fault.kind() == Kind.REPLACE);
					}
					for (String each : ids) {
						group.log.heal(each);
					}
				}, outage);
			}
			case LATE_CLAIM -> {
				// a claim that lands late (its writer's view was stale), then its writer dies:
				// it loses, or wins an epoch nobody holds
				GroupLog now = new GroupLog(group.group);
				RecordCodec codec = new RecordCodec(64 * 1024, null);
				for (InMemoryLog.Entry entry : group.log.entries()) {
					if (entry.value() != null && Transport.isGroupRecord(group.group, entry.key())) {
						DecodeResult decoded = codec.decode(entry.value());
						if (decoded.isAccepted()) {
							now.apply(entry.offset(), decoded.record());
						}
					}
				}
				long based = Math.max(-1, now.lastPrimaryOffset() - 1 - fault.other());
				ProtocolRecord claim = new ProtocolRecord(RecordType.CLAIM, group.group, "late" + fault.other(),
						"5e55" + fault.afterMillis(), now.maxEpoch() + 1, 1, based, group.clock.instant(), "late claim", null,
						Role.SECONDARY, 0, true, false);
				group.log.append(Transport.groupKey(group.group), codec.encode(claim));
			}
			case DISABLE -> {
				if (running) {
					watcher.setEnabled(false);
					faultLoop.schedule(() -> {
						if (watcher.state() == Watcher.State.STARTED) {
							watcher.setEnabled(true);
						}
					}, duration);
				}
			}
		}
	}

}
