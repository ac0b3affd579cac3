package dev.failover.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * What one sample instance reports about itself and its group, parsed from
 * {@code GET /actuator/failover} (or from the answer to a {@code POST} there).
 *
 * @param instanceId the instance that answered
 * @param group the failover group
 * @param role {@code primary} or {@code secondary}, as the instance sees itself
 * @param epoch the group's current epoch, as the instance sees it
 * @param primaryId the primary the instance believes in, or {@code null} if none
 * @param lastHeartbeat when the instance last received a heartbeat, or {@code null}
 * @param enabled whether automatic failover is enabled on the instance
 * @param logReachable whether the instance could read the heartbeat topic recently
 * @param heartbeatInterval the configured heartbeat interval
 * @param heartbeatTimeout the configured heartbeat timeout
 * @param members the group's members as the instance sees them
 * @param summary the instance's one-line status
 * @param outcome what a write operation did, or {@code null} for a read
 */
public record InstanceStatus(String instanceId, String group, String role, long epoch, String primaryId,
		Instant lastHeartbeat, boolean enabled, boolean logReachable, Duration heartbeatInterval,
		Duration heartbeatTimeout, List<Member> members, String summary, String outcome) {

	/** The role label of a primary. */
	public static final String PRIMARY = "primary";

	/** The role label of a secondary. */
	public static final String SECONDARY = "secondary";

	public InstanceStatus {
		Objects.requireNonNull(instanceId, "instanceId must not be null");
		Objects.requireNonNull(role, "role must not be null");
		members = List.copyOf(members);
	}

	/**
	 * Parses the endpoint's JSON.
	 * @param json the response body
	 * @return the status
	 * @throws IllegalArgumentException if the body is not the endpoint's JSON; the message
	 * names the field that is missing or malformed
	 */
	public static InstanceStatus parse(String json) {
		JsonNode node = JsonFields.object(json, "failover endpoint response");
		try {
			List<Member> members = new ArrayList<>();
			JsonNode array = node.get("members");
			if (array != null && array.isArray()) {
				for (JsonNode member : array) {
					members.add(new Member(JsonFields.text(member, "instanceId"), JsonFields.text(member, "role"),
							JsonFields.optionalInstant(member, "lastSeen"), JsonFields.bool(member, "self")));
				}
			}
			return new InstanceStatus(JsonFields.text(node, "instanceId"), JsonFields.optionalText(node, "group"),
					JsonFields.text(node, "role"), JsonFields.number(node, "epoch"),
					JsonFields.optionalText(node, "primaryId"), JsonFields.optionalInstant(node, "lastHeartbeat"),
					JsonFields.bool(node, "enabled"), JsonFields.bool(node, "logReachable"),
					DurationText.parse(JsonFields.text(node, "heartbeatInterval")),
					DurationText.parse(JsonFields.text(node, "heartbeatTimeout")), members,
					JsonFields.optionalText(node, "status"), JsonFields.optionalText(node, "outcome"));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Unexpected failover endpoint response (" + ex.getMessage() + "): "
					+ JsonFields.abbreviate(json), ex);
		}
	}

	/**
	 * Returns whether the instance reports itself primary.
	 * @return {@code true} for the primary
	 */
	public boolean isPrimary() {
		return PRIMARY.equals(this.role);
	}

	/**
	 * Returns the primary the instance believes in.
	 * @return the primary's id, or empty if the instance knows none
	 */
	public Optional<String> primary() {
		return Optional.ofNullable(this.primaryId);
	}

	/**
	 * Returns how long before {@code now} the instance last received a heartbeat.
	 * @param now the instant to measure to
	 * @return the age, or empty if it never received one
	 */
	public Optional<Duration> heartbeatAge(Instant now) {
		return Optional.ofNullable(this.lastHeartbeat).map((last) -> Duration.between(last, now));
	}

	/**
	 * Returns whether this status agrees with another on the group's primary and epoch.
	 * @param other the other status
	 * @return {@code true} if both name the same primary at the same epoch
	 */
	public boolean agreesWith(InstanceStatus other) {
		return this.epoch == other.epoch && Objects.equals(this.primaryId, other.primaryId);
	}

	/**
	 * A member of the group, as one instance sees it.
	 *
	 * @param instanceId the member
	 * @param role {@code primary} or {@code secondary}
	 * @param lastSeen when the reporting instance last heard from it, or {@code null}
	 * @param self whether it is the reporting instance
	 */
	public record Member(String instanceId, String role, Instant lastSeen, boolean self) {
	}

}
