/**
 * Internals of the core: the system clock, rate-limited logging. Not API: nothing outside
 * {@code failover-core} may import it (a test enforces this), and it may change in any release.
 */
package dev.failover.core.internal;
