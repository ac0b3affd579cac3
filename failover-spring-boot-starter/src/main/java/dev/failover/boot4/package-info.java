/**
 * What the Spring Boot 4 starter keeps apart because Boot 4 moved it: the Kafka transport's
 * auto-configuration on Boot's Kafka properties and connection details, and the health
 * contributor on Boot's health API. The Boot 3.5 starter compiles these classes as
 * {@code dev.failover.boot3}. Public only as Boot requires; applications configure them
 * through {@code failover.*} properties, not by referring to these classes.
 */
package dev.failover.boot4;
