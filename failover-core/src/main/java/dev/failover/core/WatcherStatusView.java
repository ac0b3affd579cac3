package dev.failover.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.failover.core.internal.election.Snapshot;

/**
 * What a watcher tells of itself: its {@link WatcherStatus}, taken from one snapshot of its
 * election, and the one-line form of it.
 */
final class WatcherStatusView {

	private WatcherStatusView() {
	}

	static WatcherStatus status(Watcher watcher, Snapshot snapshot, boolean primary, boolean connectedLoop, long now,
			Instant wall) {
		FailoverConfig config = watcher.config();
		Role role = primary ? Role.PRIMARY : Role.SECONDARY;
		List<Member> members = new ArrayList<>(snapshot.members().size());
		for (Member member : snapshot.members()) {
			members.add(member.self() ? new Member(member.instanceId(), role, member.lastSeen(), member.preferredRole(),
					member.priority(), watcher.isEnabled(), true) : member);
		}
		if (members.isEmpty() && watcher.state() != Watcher.State.CLOSED) {
			members.add(new Member(watcher.instanceId(), role, wall, config.role(), config.priority(),
					watcher.isEnabled(), true));
		}
		boolean connected = connectedLoop && watcher.state() == Watcher.State.STARTED;
		boolean reachable = connected && snapshot.lastProgressAt() != Long.MIN_VALUE && now
				- snapshot.lastProgressAt() <= Math.max(snapshot.freshnessNanos(), config.heartbeatInterval().toNanos());
		Duration missing = (!connected || primary || snapshot.primaryMissingSince() == Long.MAX_VALUE) ? Duration.ZERO
				: Duration.ofNanos(Math.max(0, now - snapshot.primaryMissingSince()));
		return new WatcherStatus(watcher.instanceId(), watcher.group(), watcher.isEnabled(), connected, role,
				snapshot.epoch(), watcher.primaryId().orElse(null), snapshot.lastHeartbeat(), reachable, missing,
				List.copyOf(members), config.heartbeatInterval(), config.heartbeatTimeout());
	}

	static String format(Watcher watcher, WatcherStatus status, Instant now) {
		StringBuilder line = new StringBuilder();
		line.append("group=").append(watcher.group()).append(" instance=").append(watcher.instanceId());
		line.append(" role=").append(status.role()).append(" epoch=").append(status.epoch());
		line.append(" primary=").append((status.primaryId() != null) ? status.primaryId() : "none");
		line.append(" enabled=").append(status.enabled());
		if (!status.connected()) {
			line.append(" log=").append((watcher.state() == Watcher.State.CLOSED) ? "closed" : "not-connected");
		}
		else {
			line.append(" log=").append(status.logReachable() ? "reachable" : "UNREACHABLE");
		}
		line.append(" last-heartbeat=");
		if (status.lastHeartbeat() == null) {
			line.append("never");
		}
		else {
			Duration age = Duration.between(status.lastHeartbeat(), now);
			age = age.isNegative() ? Duration.ZERO : age.withNanos(age.getNano() / 1_000_000 * 1_000_000);
			line.append(Durations.format(age)).append(" ago");
		}
		line.append(" members=").append(status.members().size());
		return line.toString();
	}

}
