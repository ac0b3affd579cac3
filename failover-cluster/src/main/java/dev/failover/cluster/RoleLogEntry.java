package dev.failover.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * One role change as the sample app appends it to its role log ({@code sample.role-log},
 * one JSON object per line): the raw material for a checker that proves primary intervals
 * never overlap. A cluster gives every instance a role log, see
 * {@link SampleInstance#roleLogFile()}.
 *
 * @param instanceId the instance whose role changed
 * @param from the old role, {@code primary} or {@code secondary}
 * @param to the new role
 * @param epoch the epoch of the change
 * @param cause why, such as {@code PRIMARY_SILENT}, {@code LEASE_EXPIRED} or {@code STEPPED_DOWN}
 * @param at when the role changed; for a demotion, when the instance stopped acting as primary
 * @param sinceLastHeartbeatMs for a promotion, milliseconds since the previous primary's
 * last sign of life, or -1
 * @param heardAt when the application's {@code @EventListener} heard of the change, or
 * {@code null} (a log written before it said)
 */
public record RoleLogEntry(String instanceId, String from, String to, long epoch, String cause, Instant at,
		long sinceLastHeartbeatMs, Instant heardAt) {

	/**
	 * Creates an entry that does not say when it was heard of.
	 * @param instanceId the instance
	 * @param from the old role
	 * @param to the new role
	 * @param epoch the epoch
	 * @param cause why
	 * @param at when
	 * @param sinceLastHeartbeatMs since the previous primary's last sign of life, or -1
	 */
	public RoleLogEntry(String instanceId, String from, String to, long epoch, String cause, Instant at,
			long sinceLastHeartbeatMs) {
		this(instanceId, from, to, epoch, cause, at, sinceLastHeartbeatMs, null);
	}

	/**
	 * Returns whether this change made the instance primary.
	 * @return {@code true} for a promotion
	 */
	public boolean isPromotion() {
		return InstanceStatus.PRIMARY.equals(this.to);
	}

	/**
	 * Parses one line.
	 * @param line the JSON line
	 * @return the entry
	 * @throws IllegalArgumentException if the line is not a role-log entry
	 */
	public static RoleLogEntry parse(String line) {
		JsonNode node = JsonFields.object(line, "role log line");
		Instant at = JsonFields.optionalInstant(node, "at");
		if (at == null) {
			throw new IllegalArgumentException("field 'at' must be an ISO-8601 instant in role log line " + line);
		}
		return new RoleLogEntry(JsonFields.text(node, "instanceId"), JsonFields.text(node, "from"),
				JsonFields.text(node, "to"), JsonFields.number(node, "epoch"), JsonFields.text(node, "cause"), at,
				JsonFields.number(node, "sinceLastHeartbeatMs"), JsonFields.optionalInstant(node, "heardAt"));
	}

	/**
	 * Reads a whole role log; a half-written last line (the process was killed while writing) is skipped.
	 * @param file the role log
	 * @return the entries in the order written, or none if the file does not exist
	 * @throws IllegalArgumentException if a complete line is not a role-log entry
	 */
	public static List<RoleLogEntry> readAll(Path file) {
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (NoSuchFileException ex) {
			return List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read role log " + file, ex);
		}
		List<RoleLogEntry> entries = new ArrayList<>();
		String[] lines = text.split("\n", -1);
		// the element after the last newline is empty, or a line still being written
		for (int i = 0; i < lines.length - 1; i++) {
			if (!lines[i].isBlank()) {
				entries.add(parse(lines[i]));
			}
		}
		return entries;
	}

}
