package dev.failover.core.internal.election;

import dev.failover.core.wire.DecodeResult;

/**
 * What can happen to a member, as {@link Election#handle} takes it: every input of the
 * election is one of these, together with the time it is handled at.
 */
public sealed interface Event {

	/**
	 * The member starts reading the group's log with a new session.
	 * @param session the session, drawn when the member connects
	 * @param enabled whether automatic failover is enabled on it now
	 * @param probe where its process answers probes ({@code host:port}), or {@code null}
	 * when the process probe is off
	 */
	record Start(String session, boolean enabled, String probe) implements Event {
	}

	/**
	 * Evidence that a member's process is gone: its probe connection ended and a new one to
	 * the same address was refused.
	 * @param instanceId the member
	 * @param session the session that answered the probe
	 */
	record ProcessGone(String instanceId, String session) implements Event {
	}

	/**
	 * A record was read from the log.
	 * @param offset its offset
	 * @param decoded what the codec made of its value
	 */
	record RecordRead(long offset, DecodeResult decoded) implements Event {
	}

	/**
	 * A tombstone on a member's key was read: the member's presence was deleted.
	 * @param offset its offset
	 * @param instanceId the member
	 */
	record MemberDeleted(long offset, String instanceId) implements Event {
	}

	/**
	 * The transport confirmed that every record before {@code endOffset} has been delivered.
	 * @param endOffset the end of the log
	 * @param observedAt when the end was observed, on the monotonic clock
	 */
	record Progress(long endOffset, long observedAt) implements Event {
	}

	/**
	 * The transport found the log replaced, truncated or just created.
	 * @param reason what it found
	 */
	record LogReplaced(String reason) implements Event {
	}

	/**
	 * The transport could not read the log.
	 * @param error why
	 */
	record ReadFailed(Throwable error) implements Event {
	}

	/** The timer the election asked for has fired. */
	record Tick() implements Event {
	}

	/**
	 * Stop being primary: a step-down, or a switchover to a named successor.
	 * @param request the request to complete with whether this member was primary
	 * @param successor the member to hand over to, or {@code null} for any
	 */
	record StepDown(long request, String successor) implements Event {
	}

	/**
	 * Leave the group gracefully: step down, hand over, wait for the successor, delete this
	 * member's presence, and terminate.
	 * @param request the request to complete once terminated
	 */
	record Close(long request) implements Event {
	}

	/**
	 * Automatic failover was enabled or disabled on this member.
	 * @param enabled whether it now is
	 */
	record EnabledChanged(boolean enabled) implements Event {
	}

	/**
	 * The promote callback returned.
	 * @param epoch the epoch it ran for
	 * @param error what it threw, or {@code null}
	 */
	record PromoteDone(long epoch, Throwable error) implements Event {
	}

	/**
	 * The demote callback that a handover waits for returned.
	 * @param token the token of its {@link Effect.RunDemote}
	 */
	record DemoteDone(long token) implements Event {
	}

	/**
	 * A record asked for with a reference was acknowledged by the log.
	 * @param ref the reference of its {@link Effect.Publish}
	 * @param offset its offset
	 */
	record Published(long ref, long offset) implements Event {
	}

	/**
	 * A record could not be written.
	 * @param ref the reference of its {@link Effect.Publish}
	 * @param type what it was, for the warning
	 * @param error why
	 */
	record PublishFailed(long ref, String type, Throwable error) implements Event {
	}

}
