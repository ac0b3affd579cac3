/**
 * The election as a pure state machine: {@link dev.failover.core.internal.election.Election}
 * takes an {@link dev.failover.core.internal.election.Event} at a given time and returns
 * {@link dev.failover.core.internal.election.Effect}s. The fold of the log, the members, the
 * derived timings and every timing rule of docs/PROTOCOL.md live here, and nothing else:
 * no threads, no clock reads, no logging, no transport (an architecture test enforces this).
 * <p>
 * Not API: nothing outside {@code failover-core} may import it.
 */
package dev.failover.core.internal.election;
