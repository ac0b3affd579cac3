package dev.failover.bench.faults;

import dev.failover.core.RejectReason;

/**
 * One record an attacker or a broken neighbour writes to the group's partition, with the
 * reason every instance must reject it for.
 *
 * @param label what it is, such as {@code truncated JSON}
 * @param value the bytes written
 * @param expected the reason it must be counted under
 */
record HostileRecord(String label, byte[] value, RejectReason expected) {

	@Override
	public String toString() {
		return this.label + " (" + this.value.length + " bytes, " + this.expected.tag() + ")";
	}

}
