/**
 * The wire format of the heartbeat topic: {@link dev.failover.core.wire.ProtocolRecord}s
 * and their JSON encoding, signing and validation ({@link dev.failover.core.wire.RecordCodec}).
 * docs/PROTOCOL.md specifies it.
 * <p>
 * Public API for tools that read or write the topic (the fault suite forges records with
 * it); the format itself is versioned and stays readable by older members.
 */
package dev.failover.core.wire;
