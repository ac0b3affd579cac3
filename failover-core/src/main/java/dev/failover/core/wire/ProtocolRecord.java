package dev.failover.core.wire;

import java.time.Instant;
import java.util.Objects;

import dev.failover.core.Role;

/**
 * One record of the failover protocol, decoded.
 *
 * @param type the kind of record
 * @param group the failover group
 * @param instanceId the writer's instance id
 * @param session the writer's session: a random id per watcher, so that a restarted instance
 * can tell its own records from those of its earlier life
 * @param epoch the writer's epoch: for a claim, the epoch asked for; for a heartbeat or
 * shutdown, the primary's epoch; for a standby, the epoch the writer knows
 * @param seq a heartbeat's sequence number within its epoch, or a claim's sequence number
 * within its writer's session (0 for other records)
 * @param basedOnOffset for a claim, the offset of the last record the claimer had read
 * (-1 for other records)
 * @param sentAt when the writer sent the record (its wall clock; display only)
 * @param reason why the record was written (optional)
 * @param successor for a shutdown, the preferred successor (optional)
 * @param preferredRole the writer's preferred role
 * @param priority the writer's priority
 * @param enabled whether automatic failover is enabled on the writer
 * @param leaving for a standby, whether the writer is leaving the group
 * @param successorSession for a shutdown that hands the primary role over, the session of
 * the successor, which is granted the next epoch ({@code null} for a plain shutdown)
 * @param maxEpoch the highest epoch the writer had seen in the log when it wrote the record (0
 * if unknown: a writer of an older release), so that a reader whose older history was
 * compacted away or replaced still learns which epochs are taken
 * @param grantEpoch for a shutdown that grants, the epoch granted to the successor (0 if
 * unknown: a writer of an older release granted {@code maxEpoch + 1} of the reader's fold)
 * @param leaseMillis the writer's lease, in milliseconds: how long after sending a heartbeat
 * it may act on it (0 if unknown), so that members with other settings wait it out
 * @param intervalMillis the writer's heartbeat interval, in milliseconds (0 if unknown), from
 * which the others know how long a handover grant to it may last
 * @param probe for a heartbeat or claim, where the writer's process answers probes
 * ({@code host:port}), if it opened a probe endpoint; otherwise {@code null}
 */
public record ProtocolRecord(RecordType type, String group, String instanceId, String session, long epoch, long seq,
		long basedOnOffset, Instant sentAt, String reason, String successor, Role preferredRole, int priority,
		boolean enabled, boolean leaving, String successorSession, long maxEpoch, long grantEpoch, long leaseMillis,
		long intervalMillis, String probe) {

	/** The longest probe address a record may carry. */
	public static final int MAX_PROBE_LENGTH = 255;

	/**
	 * Creates a record, checking the fields every record needs.
	 */
	public ProtocolRecord {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(group, "group");
		Objects.requireNonNull(instanceId, "instanceId");
		Objects.requireNonNull(session, "session");
		Objects.requireNonNull(sentAt, "sentAt");
		Objects.requireNonNull(preferredRole, "preferredRole");
		if (successorSession != null && successor == null) {
			throw new IllegalArgumentException("A successor session needs a successor");
		}
		if (probe != null && (probe.isEmpty() || probe.length() > MAX_PROBE_LENGTH || probe.indexOf(':') < 0)) {
			throw new IllegalArgumentException("A probe address is host:port, at most " + MAX_PROBE_LENGTH
					+ " characters");
		}
		if (maxEpoch < 0 || grantEpoch < 0 || leaseMillis < 0 || intervalMillis < 0) {
			throw new IllegalArgumentException("maxEpoch, grantEpoch, leaseMillis and intervalMillis must not be negative");
		}
	}

	/**
	 * Creates a record without the writer's knowledge and timing (as an older release wrote).
	 */
	/**
	 * Creates a record that names no probe endpoint.
	 * @param type the kind of record
	 * @param group the failover group
	 * @param instanceId the writer's instance id
	 * @param session the writer's session
	 * @param epoch the writer's epoch
	 * @param seq the sequence number
	 * @param basedOnOffset a claim's base
	 * @param sentAt when it was sent
	 * @param reason why
	 * @param successor a shutdown's successor
	 * @param preferredRole the writer's preferred role
	 * @param priority the writer's priority
	 * @param enabled whether failover is enabled on the writer
	 * @param leaving whether the writer leaves
	 * @param successorSession a grant's successor session
	 * @param maxEpoch the highest epoch the writer had seen
	 * @param grantEpoch the epoch a grant grants
	 * @param leaseMillis the writer's lease
	 * @param intervalMillis the writer's heartbeat interval
	 */
	public ProtocolRecord(RecordType type, String group, String instanceId, String session, long epoch, long seq,
			long basedOnOffset, Instant sentAt, String reason, String successor, Role preferredRole, int priority,
			boolean enabled, boolean leaving, String successorSession, long maxEpoch, long grantEpoch, long leaseMillis,
			long intervalMillis) {
		this(type, group, instanceId, session, epoch, seq, basedOnOffset, sentAt, reason, successor, preferredRole,
				priority, enabled, leaving, successorSession, maxEpoch, grantEpoch, leaseMillis, intervalMillis, null);
	}

	public ProtocolRecord(RecordType type, String group, String instanceId, String session, long epoch, long seq,
			long basedOnOffset, Instant sentAt, String reason, String successor, Role preferredRole, int priority,
			boolean enabled, boolean leaving, String successorSession) {
		this(type, group, instanceId, session, epoch, seq, basedOnOffset, sentAt, reason, successor, preferredRole,
				priority, enabled, leaving, successorSession, 0, 0, 0, 0, null);
	}

	/**
	 * Creates a record that grants nothing.
	 */
	public ProtocolRecord(RecordType type, String group, String instanceId, String session, long epoch, long seq,
			long basedOnOffset, Instant sentAt, String reason, String successor, Role preferredRole, int priority,
			boolean enabled, boolean leaving) {
		this(type, group, instanceId, session, epoch, seq, basedOnOffset, sentAt, reason, successor, preferredRole,
				priority, enabled, leaving, null);
	}

	/**
	 * Returns this record with the writer's knowledge and timing.
	 * @param maxEpoch the highest epoch the writer has seen
	 * @param grantEpoch the epoch a grant grants, or 0
	 * @param leaseMillis the writer's lease in milliseconds
	 * @param intervalMillis the writer's heartbeat interval in milliseconds
	 * @return the record with those fields
	 */
	public ProtocolRecord with(long maxEpoch, long grantEpoch, long leaseMillis, long intervalMillis) {
		return new ProtocolRecord(this.type, this.group, this.instanceId, this.session, this.epoch, this.seq,
				this.basedOnOffset, this.sentAt, this.reason, this.successor, this.preferredRole, this.priority,
				this.enabled, this.leaving, this.successorSession, maxEpoch, grantEpoch, leaseMillis, intervalMillis,
				this.probe);
	}

	/**
	 * Returns the highest epoch this record tells of: its own, the one it grants, and the
	 * highest its writer had seen.
	 * @return the highest epoch
	 */
	/**
	 * Returns this record naming a probe endpoint.
	 * @param address where the writer's process answers probes, or {@code null}
	 * @return the record
	 */
	public ProtocolRecord withProbe(String address) {
		return new ProtocolRecord(this.type, this.group, this.instanceId, this.session, this.epoch, this.seq,
				this.basedOnOffset, this.sentAt, this.reason, this.successor, this.preferredRole, this.priority,
				this.enabled, this.leaving, this.successorSession, this.maxEpoch, this.grantEpoch, this.leaseMillis,
				this.intervalMillis, address);
	}

	public long highestEpoch() {
		return Math.max(this.epoch, Math.max(this.maxEpoch, this.grantEpoch));
	}

	/**
	 * Returns whether this is a shutdown that grants the next epoch to a named successor.
	 * @return {@code true} for a handover grant
	 */
	public boolean isGrant() {
		return this.type == RecordType.SHUTDOWN && this.successorSession != null;
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(this.type.name()).append('{')
			.append(this.group)
			.append(' ')
			.append(this.instanceId)
			.append(" epoch=")
			.append(this.epoch);
		if (this.type == RecordType.HEARTBEAT) {
			text.append(" seq=").append(this.seq);
		}
		if (this.type == RecordType.CLAIM) {
			text.append(" seq=").append(this.seq).append(" basedOnOffset=").append(this.basedOnOffset);
		}
		if (this.successor != null) {
			text.append(" successor=").append(this.successor);
			if (this.successorSession != null) {
				text.append(" (granted");
				if (this.grantEpoch > 0) {
					text.append(" epoch ").append(this.grantEpoch);
				}
				text.append(')');
			}
		}
		if (this.leaving) {
			text.append(" leaving");
		}
		if (this.reason != null) {
			text.append(" reason=\"").append(this.reason).append('"');
		}
		return text.append('}').toString();
	}

}
