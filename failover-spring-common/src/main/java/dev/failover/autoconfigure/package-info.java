/**
 * Auto-configuration of failover that is the same on Spring Boot 3 and 4: the watcher and its
 * lifecycle, the endpoint and metrics, each conditional and overridable (each generation's
 * starter adds the Kafka transport and the health contributor, in a package of its own).
 * Public only as Boot requires; applications configure it through {@code failover.*}
 * properties and beans, not by referring to these classes.
 */
package dev.failover.autoconfigure;
