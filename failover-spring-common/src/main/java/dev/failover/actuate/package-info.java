/**
 * Actuator support: the {@code /actuator/failover} endpoint and the {@code failover} health
 * indicator. Public API (the endpoint's descriptor is what it returns as JSON).
 */
package dev.failover.actuate;
