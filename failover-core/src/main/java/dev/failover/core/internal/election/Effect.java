package dev.failover.core.internal.election;

import dev.failover.core.RoleChange;
import dev.failover.core.wire.ProtocolRecord;

/**
 * What the election asks its runner to do, in the order given: the only outputs of
 * {@link Election#handle}.
 */
public sealed interface Effect {

	/**
	 * Write a record to the group's log: the group's key for election records, the member's
	 * key for presence records and tombstones.
	 * @param ref a reference to report the outcome under ({@link Event.Published} only if not
	 * 0; {@link Event.PublishFailed} always)
	 * @param record the record, or {@code null} for a tombstone on this member's key
	 * @param awaited whether a failover waits for it (a claim, a shutdown notice, a new
	 * primary's first heartbeat): it may rely on the transport's confirmation of the topic made for this
	 * member's previous record, at most one heartbeat interval old, instead of a new one
	 */
	record Publish(long ref, ProtocolRecord record, boolean awaited) implements Effect {
	}

	/**
	 * Watch the probe endpoint of the group's primary, instead of any earlier one; report
	 * {@link Event.ProcessGone} on evidence that its process is gone.
	 * @param address where its endpoint is, or {@code null} to watch none
	 * @param instanceId the primary
	 * @param session the primary's session, which must answer there
	 */
	record WatchProbe(String address, String instanceId, String session) implements Effect {
	}

	/**
	 * Fire {@link Event.Tick} at a moment on the monotonic clock, instead of any earlier
	 * request; {@code Long.MAX_VALUE} cancels it.
	 * @param at when
	 */
	record SetTimer(long at) implements Effect {
	}

	/**
	 * Run the promote callback off the loop, then report {@link Event.PromoteDone}.
	 * @param epoch the epoch won
	 */
	record RunPromote(long epoch) implements Effect {
	}

	/**
	 * Run the demote callback off the loop; if {@code token} is not 0, report
	 * {@link Event.DemoteDone} once it returned.
	 * @param epoch the epoch given up
	 * @param token the token to report, or 0
	 */
	record RunDemote(long epoch, long token) implements Effect {
	}

	/**
	 * Announce a role change: publish the state first (a listener that asks must see the new
	 * role), then tell the listeners, off the loop.
	 * @param change the change
	 */
	record Announce(RoleChange change) implements Effect {
	}

	/**
	 * Complete a request ({@link Event.StepDown}, {@link Event.Close}).
	 * @param request the request
	 * @param value its result
	 * @param error its failure, or {@code null}
	 */
	record Complete(long request, boolean value, Throwable error) implements Effect {
	}

	/**
	 * Publish the member's state ({@link Election#snapshot()}) for other threads. The runner
	 * does it before anything else the same event asks for, so that no record is written and
	 * no listener is told before {@code isPrimary()} answers as the state now says.
	 */
	record PublishState() implements Effect {
	}

	/** Stop: close the subscription and the loops. The election handles nothing after it. */
	record Terminate() implements Effect {
	}

	/**
	 * Write a line to the watcher's log.
	 * @param level how serious
	 * @param message the line
	 * @param error an exception to print with it, or {@code null}
	 */
	record Log(Level level, String message, Throwable error) implements Effect {
	}

	/** The levels of {@link Log}. */
	enum Level {

		/** A role change or a step of the protocol. */
		INFO,

		/** Something the operator should look at. */
		WARN,

		/** Something failed. */
		ERROR

	}

}
