package dev.failover.cluster;

import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * One record of the sample's ledger topic: {@code {"instanceId", "epoch", "seq", "at"}}
 * written by the primary, with its offset.
 *
 * @param offset the record's offset in the partition
 * @param instanceId the primary that wrote it
 * @param epoch the failover epoch the writer held
 * @param seq the writer's sequence number within that epoch (starts at 1 per epoch)
 * @param at when the writer wrote it (ISO-8601), as text
 */
public record LedgerRecord(long offset, String instanceId, long epoch, long seq, String at) {

	public LedgerRecord {
		Objects.requireNonNull(instanceId, "instanceId must not be null");
	}

	/**
	 * Parses a record's value.
	 * @param offset the record's offset
	 * @param json the value
	 * @return the record
	 * @throws IllegalArgumentException if the value is not a ledger record; the message says why
	 */
	public static LedgerRecord parse(long offset, String json) {
		JsonNode node = JsonFields.object(json, "ledger record at offset " + offset);
		return new LedgerRecord(offset, JsonFields.text(node, "instanceId"), JsonFields.number(node, "epoch"),
				JsonFields.number(node, "seq"), JsonFields.optionalText(node, "at"));
	}

}
