package dev.failover.core.internal.election;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.failover.core.Member;
import dev.failover.core.Role;
import dev.failover.core.wire.ProtocolRecord;

/**
 * The members of a group as one watcher has heard of them: for the members view, the order
 * in which candidates claim, and the choice of a successor. Owned by the watcher's event
 * loop.
 */
final class MemberTable {

	/** Claim order among candidates: preferred primaries first, then higher priority, then id. */
	private static final Comparator<Entry> ORDER = Comparator.comparing((Entry e) -> e.preferredRole != Role.PRIMARY)
		.thenComparing((Entry e) -> -(long) e.priority)
		.thenComparing((Entry e) -> e.instanceId);

	private final Entry self;

	private final long liveNanos;

	private final long forgetNanos;

	private final Map<String, Entry> members = new LinkedHashMap<>();

	/**
	 * Creates the table of one watcher.
	 * @param self this instance's id
	 * @param preferredRole this instance's preferred role
	 * @param priority this instance's priority
	 * @param timings when members count as live (they write every interval, so one not heard
	 * from for two is likely gone) and when they are forgotten
	 */
	MemberTable(String self, Role preferredRole, int priority, Timings timings) {
		this.self = new Entry(self);
		this.self.preferredRole = preferredRole;
		this.self.priority = priority;
		this.liveNanos = timings.memberLive;
		this.forgetNanos = timings.memberForget;
	}

	/** Records a live record of another instance (a leaving one is removed). */
	void seen(ProtocolRecord record, long nowNanos, Instant now) {
		if (record.leaving()) {
			this.members.remove(record.instanceId());
			return;
		}
		if (record.instanceId().equals(this.self.instanceId)) {
			return;
		}
		Entry member = this.members.computeIfAbsent(record.instanceId(), Entry::new);
		member.lastSeenAt = nowNanos;
		member.lastSeen = now;
		member.preferredRole = record.preferredRole();
		member.priority = record.priority();
		member.enabled = record.enabled();
		member.session = record.session();
		if (record.leaseMillis() > 0 && record.intervalMillis() > 0) {
			member.leaseMillis = record.leaseMillis();
			member.intervalMillis = record.intervalMillis();
		}
	}

	/**
	 * Returns how long a handover grant to a member may last, as that member computes it
	 * from its own settings ({@code min(1.5 × interval, lease)}), so that the others wait it
	 * out even when their settings differ during a rolling change.
	 * @param instanceId the member
	 * @param fallbackNanos this instance's own grant lease, for a member that announced no settings
	 * @return the member's grant lease in nanoseconds, at least the fallback
	 */
	long grantLeaseOf(String instanceId, long fallbackNanos) {
		Entry member = this.members.get(instanceId);
		if (member == null || member.leaseMillis == 0) {
			return fallbackNanos;
		}
		long theirs = Timings.grantLease(member.intervalMillis * 1_000_000L, member.leaseMillis * 1_000_000L);
		return Math.max(fallbackNanos, theirs);
	}

	/**
	 * Returns a member's preferred role as its records announced it.
	 * @param instanceId the member
	 * @return its preferred role, {@link Role#SECONDARY} if it is not known
	 */
	Role preferredRoleOf(String instanceId) {
		Entry member = this.members.get(instanceId);
		return (member != null) ? member.preferredRole : Role.SECONDARY;
	}

	/** Forgets a member (its presence was deleted from the log). */
	void remove(String instanceId) {
		this.members.remove(instanceId);
	}

	/** Forgets members not heard from for a long time. */
	void prune(long nowNanos) {
		this.members.values().removeIf((member) -> nowNanos - member.lastSeenAt > this.forgetNanos);
	}

	/**
	 * Returns how many live candidates claim before this instance.
	 * @param nowNanos the current time
	 * @param primaryId the primary to leave out (it is not a candidate), or {@code null}
	 */
	int rankOfSelf(long nowNanos, String primaryId) {
		int rank = 0;
		for (Entry member : this.members.values()) {
			if (isCandidate(member, nowNanos) && !member.instanceId.equals(primaryId)
					&& ORDER.compare(member, this.self) < 0) {
				rank++;
			}
		}
		return rank;
	}

	/**
	 * Chooses the member to hand the primary role to: the requested one if it is a live
	 * candidate, otherwise (when none was requested) the best-ranked live candidate.
	 * @return the successor, or {@code null} to leave the group vacant
	 */
	Successor chooseSuccessor(String requested, long nowNanos) {
		if (requested != null) {
			Entry member = this.members.get(requested);
			return (member != null && member.session != null && isCandidate(member, nowNanos))
					? new Successor(member.instanceId, member.session) : null;
		}
		Entry best = null;
		for (Entry member : this.members.values()) {
			if (member.session != null && isCandidate(member, nowNanos)
					&& (best == null || ORDER.compare(member, best) < 0)) {
				best = member;
			}
		}
		return (best != null) ? new Successor(best.instanceId, best.session) : null;
	}

	/**
	 * Returns the members view: this instance, as given, and the others, all sorted by id.
	 * @param self this instance's entry
	 * @param primaryId the group's primary, or {@code null}
	 */
	List<Member> view(Member self, String primaryId) {
		List<Member> view = new ArrayList<>(this.members.size() + 1);
		view.add(self);
		for (Entry member : this.members.values()) {
			Role role = member.instanceId.equals(primaryId) ? Role.PRIMARY : Role.SECONDARY;
			view.add(new Member(member.instanceId, role, member.lastSeen, member.preferredRole, member.priority,
					member.enabled, false));
		}
		view.sort(Comparator.comparing(Member::instanceId));
		return List.copyOf(view);
	}

	private boolean isCandidate(Entry member, long nowNanos) {
		return member.enabled && nowNanos - member.lastSeenAt <= this.liveNanos;
	}

	/** A successor: its id and the session the grant is for. */
	record Successor(String instanceId, String session) {
	}

	/** What this watcher last heard from one member. */
	private static final class Entry {

		final String instanceId;

		long lastSeenAt;

		Instant lastSeen;

		Role preferredRole = Role.SECONDARY;

		int priority;

		boolean enabled = true;

		String session;

		long leaseMillis;

		long intervalMillis;

		Entry(String instanceId) {
			this.instanceId = instanceId;
		}

	}

}
