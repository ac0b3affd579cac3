package dev.failover.cluster;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parser for the durations the failover starter prints, such as {@code 1s}, {@code 200ms},
 * {@code 3.008s}, {@code 1m} or {@code 250us}.
 */
final class DurationText {

	private static final Pattern DURATION = Pattern.compile("(-?\\d+(?:\\.\\d+)?)(us|ms|s|m)");

	private DurationText() {
	}

	/**
	 * Parses a duration.
	 * @param text the text, such as {@code 3.008s}
	 * @return the duration
	 * @throws IllegalArgumentException if the text is not such a duration
	 */
	static Duration parse(String text) {
		Matcher matcher = (text != null) ? DURATION.matcher(text.trim()) : null;
		if (matcher == null || !matcher.matches()) {
			throw new IllegalArgumentException("text must be a duration such as 200ms or 3.008s, was " + text);
		}
		BigDecimal amount = new BigDecimal(matcher.group(1));
		BigDecimal nanosPerUnit = switch (matcher.group(2)) {
			case "us" -> BigDecimal.valueOf(1_000L);
			case "ms" -> BigDecimal.valueOf(1_000_000L);
			case "s" -> BigDecimal.valueOf(1_000_000_000L);
			default -> BigDecimal.valueOf(60_000_000_000L);
		};
		return Duration.ofNanos(amount.multiply(nanosPerUnit).longValue());
	}

}
