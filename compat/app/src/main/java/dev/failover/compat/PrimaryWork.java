package dev.failover.compat;

import org.springframework.stereotype.Component;

import dev.failover.primary.PrimaryOnly;

/**
 * A primary-only job, reduced to what shows whether the {@code @PrimaryOnly} proxy works on
 * this Boot line: the method runs (and answers {@code true}) only on the primary.
 */
@Component
public class PrimaryWork {

	/**
	 * Runs the job.
	 * @return {@code true} when it ran; the proxy answers {@code false} on a secondary
	 */
	@PrimaryOnly
	public boolean run() {
		return true;
	}

}
