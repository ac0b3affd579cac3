package dev.failover.boot4;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.failover.actuate.FailoverHealth;
import dev.failover.core.Watcher;

/**
 * The {@code failover} health contributor on Spring Boot 4: reports what
 * {@link FailoverHealth} finds.
 */
public class FailoverHealthIndicator extends AbstractHealthIndicator {

	private final FailoverHealth health;

	/**
	 * Creates the indicator that reports DOWN while the topic cannot be read.
	 * @param watcher the watcher to report on
	 */
	public FailoverHealthIndicator(Watcher watcher) {
		this(watcher, "DOWN");
	}

	/**
	 * Creates the indicator.
	 * @param watcher the watcher to report on
	 * @param logUnreachable the status code to report while the heartbeat topic cannot be read
	 */
	public FailoverHealthIndicator(Watcher watcher, String logUnreachable) {
		super("Failover health check failed");
		this.health = new FailoverHealth(watcher, logUnreachable);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		FailoverHealth.Report report = this.health.check();
		builder.status(report.status()).withDetails(report.details());
	}

}
