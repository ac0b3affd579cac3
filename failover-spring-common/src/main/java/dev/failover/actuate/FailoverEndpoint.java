package dev.failover.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

import dev.failover.core.FailoverConfigException;
import dev.failover.core.Member;
import dev.failover.core.Watcher;
import dev.failover.core.WatcherStatus;
import dev.failover.core.Durations;

/**
 * The {@code failover} Actuator endpoint: what this instance knows of its group, and
 * runtime control.
 * <p>
 * {@code GET /actuator/failover} returns a {@link FailoverDescriptor}.
 * {@code POST /actuator/failover} with {@code {"enabled": false}} or {@code {"enabled": true}}
 * toggles automatic failover; with {@code {"action": "step-down"}} (and an optional
 * {@code "target"} instance id) a primary hands over. Writes change roles, so the endpoint's
 * default access is read-only: allow them with
 * {@code management.endpoint.failover.access=unrestricted}, and secure them like any
 * write endpoint.
 */
@Endpoint(id = "failover", defaultAccess = Access.READ_ONLY)
public class FailoverEndpoint {

	/** How long a step-down request waits for the handover to be announced. */
	private static final Duration STEP_DOWN_WAIT = Duration.ofSeconds(10);

	private final Watcher watcher;

	/**
	 * Creates the endpoint.
	 * @param watcher the watcher to describe and control
	 */
	public FailoverEndpoint(Watcher watcher) {
		this.watcher = watcher;
	}

	/**
	 * Describes this instance and its group.
	 * @return the descriptor
	 */
	@ReadOperation
	public FailoverDescriptor failover() {
		return FailoverDescriptor.of(this.watcher, null);
	}

	/**
	 * Toggles automatic failover, or hands the primary role over.
	 * @param enabled whether automatic failover should be enabled
	 * @param action {@code step-down} to hand the primary role over
	 * @param target the preferred successor of a step-down
	 * @return the descriptor after the change, with the outcome
	 */
	// Spring's @Nullable, deprecated in Spring 7, rather than JSpecify's: Boot 3 makes an
	// operation parameter optional only when it carries this one, and Boot 4 accepts any
	// annotation named Nullable
	@SuppressWarnings("deprecation")
	@WriteOperation
	public FailoverDescriptor update(@Nullable Boolean enabled, @Nullable String action, @Nullable String target) {
		if (enabled == null && action == null) {
			throw new InvalidEndpointRequestException("Give 'enabled' (true or false) or 'action' ('step-down')",
					"Missing 'enabled' or 'action'");
		}
		StringBuilder outcome = new StringBuilder();
		if (enabled != null) {
			this.watcher.setEnabled(enabled);
			outcome.append("automatic failover ").append(enabled ? "enabled" : "disabled");
		}
		if (action != null) {
			if (!"step-down".equals(action.trim().toLowerCase(Locale.ROOT))) {
				throw new InvalidEndpointRequestException("Unknown action '" + action + "': use 'step-down'",
						"Unknown action");
			}
			if (outcome.length() > 0) {
				outcome.append("; ");
			}
			outcome.append(stepDown(target));
		}
		return FailoverDescriptor.of(this.watcher, outcome.toString());
	}

	private String stepDown(String target) {
		if (!this.watcher.isPrimary()) {
			throw new InvalidEndpointRequestException("Instance '" + this.watcher.instanceId()
					+ "' is not primary; send the step-down to the primary ("
					+ this.watcher.primaryId().orElse("none known") + ")", "Not primary");
		}
		CompletableFuture<Boolean> handover;
		try {
			handover = (target != null && !target.isBlank()) ? this.watcher.switchover(target.trim())
					: this.watcher.stepDown();
		}
		catch (FailoverConfigException ex) {
			throw new InvalidEndpointRequestException(ex.getDescription(), "Invalid target");
		}
		try {
			boolean stepped = handover.get(STEP_DOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
			if (!stepped) {
				return "not primary any more: nothing to hand over";
			}
			return "stepped down" + ((target != null && !target.isBlank()) ? ", handing over to '" + target.trim() + "'"
					: ", a secondary takes over");
		}
		catch (TimeoutException ex) {
			return "stepped down; the handover announcement is not acknowledged yet";
		}
		catch (ExecutionException ex) {
			return "stepped down, but the handover announcement failed (" + ex.getCause()
					+ "); secondaries take over after the heartbeat timeout";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "stepped down";
		}
	}

	/**
	 * What {@code /actuator/failover} returns.
	 *
	 * @param enabled whether automatic failover is enabled
	 * @param instanceId this instance
	 * @param group the failover group
	 * @param role {@code primary} or {@code secondary}, right now
	 * @param epoch the group's current epoch
	 * @param primaryId the group's primary, or {@code null}
	 * @param lastHeartbeat the last heartbeat (ISO-8601), or {@code null}
	 * @param heartbeatInterval the heartbeat interval, e.g. {@code 5s}
	 * @param heartbeatTimeout the heartbeat timeout, e.g. {@code 15s}
	 * @param logReachable whether the heartbeat topic was readable recently
	 * @param members the members seen recently
	 * @param status the one-line status
	 * @param outcome what a write operation did, or {@code null} for a read
	 */
	public record FailoverDescriptor(boolean enabled, String instanceId, String group, String role, long epoch,
			String primaryId, String lastHeartbeat, String heartbeatInterval, String heartbeatTimeout,
			boolean logReachable, List<MemberDescriptor> members, String status, String outcome)
			implements OperationResponseBody {

		static FailoverDescriptor of(Watcher watcher, String outcome) {
			WatcherStatus status = watcher.status();
			List<MemberDescriptor> members = status.members().stream().map(MemberDescriptor::of).toList();
			return new FailoverDescriptor(status.enabled(), status.instanceId(), status.group(), status.role().label(),
					status.epoch(), status.primaryId(), format(status.lastHeartbeat()),
					Durations.format(status.heartbeatInterval()), Durations.format(status.heartbeatTimeout()),
					status.logReachable(), members, watcher.formatStatus(status), outcome);
		}

	}

	/**
	 * A member of the group, as seen by this instance.
	 *
	 * @param instanceId the member
	 * @param role {@code primary} or {@code secondary}
	 * @param lastSeen when this instance last heard from it (ISO-8601)
	 * @param self whether it is this instance
	 */
	public record MemberDescriptor(String instanceId, String role, String lastSeen, boolean self) {

		static MemberDescriptor of(Member member) {
			return new MemberDescriptor(member.instanceId(), member.role().label(), format(member.lastSeen()),
					member.self());
		}

	}

	private static String format(Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}
