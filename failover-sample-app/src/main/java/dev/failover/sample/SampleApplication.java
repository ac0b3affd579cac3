package dev.failover.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A service that uses the failover starter the way a team would: {@code application.yml},
 * an {@code @EventListener} and a {@code @PrimaryOnly} scheduled job.
 * <p>
 * Run several instances against one Kafka broker: one is primary and appends to a ledger
 * topic every 200 ms; kill it and another takes over.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(LedgerProperties.class)
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
