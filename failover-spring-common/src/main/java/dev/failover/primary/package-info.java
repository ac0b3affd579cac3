/**
 * Work that only the primary may do: {@link dev.failover.primary.PrimaryOnly} methods, and
 * the interceptor that skips them on a secondary or on a primary whose lease lapsed. Public
 * API: the annotation; the post-processor and interceptor are created by the
 * auto-configuration.
 */
package dev.failover.primary;
