/**
 * The starter's runtime: the lifecycle that starts the watcher late and hands the role over
 * early, the lease-lost exit, the readiness mapping, the control of primary-only beans,
 * the failure analysis of invalid settings, and the filter that keeps a starter of the other
 * Spring Boot generation from running.
 * <p>
 * Internal: public only so that the auto-configuration can create them; not API, and may
 * change in any release.
 */
package dev.failover.internal;
