package dev.failover.compat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A minimal service that uses the failover starter the way an adopting team would: the
 * starter, Actuator and Spring MVC, an {@code @EventListener} for role changes and one
 * {@code @PrimaryOnly} method, built on each supported Spring Boot line.
 */
@SpringBootApplication
public class CompatApplication {

	public static void main(String[] args) {
		SpringApplication.run(CompatApplication.class, args);
	}

}
