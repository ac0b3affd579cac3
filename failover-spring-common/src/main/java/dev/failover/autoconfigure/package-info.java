/**
 * Spring Boot 4 auto-configuration of failover: the watcher and its lifecycle, the Kafka
 * transport, the endpoint, health and metrics, each conditional and overridable. Public only
 * as Boot requires; applications configure it through {@code failover.*} properties and
 * beans, not by referring to these classes.
 */
package dev.failover.autoconfigure;
