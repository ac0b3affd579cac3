package dev.failover.internal;

import java.util.regex.Pattern;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.failover.core.FailoverConfigException;

/**
 * Explains an invalid {@code failover.*} setting at startup: which property, what is wrong
 * with it, and how to fix it.
 */
public final class FailoverConfigFailureAnalyzer extends AbstractFailureAnalyzer<FailoverConfigException> {

	/** Setting names as the core writes them, to be shown with their 'failover.' prefix. */
	private static final Pattern SETTING = Pattern.compile("(?<![\\w.-])(heartbeat-interval|heartbeat-timeout|"
			+ "lease-margin|claim-backoff-min|claim-backoff-max|claim-stagger|max-record-size|signing-key|accepted-signing-keys|"
			+ "shutdown-timeout|instance-id|kafka\\.[a-z-]+|primary-only\\.[a-z-]+|health\\.[a-z-]+|process-probe\\.[a-z-]+)(?![\\w-])");

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, FailoverConfigException cause) {
		String description = "Invalid failover configuration: property 'failover." + cause.getProperty() + "': "
				+ prefixed(cause.getDescription());
		return new FailureAnalysis(description, prefixed(cause.getAction()), cause);
	}

	private static String prefixed(String text) {
		return SETTING.matcher(text).replaceAll("failover.$1");
	}

}
