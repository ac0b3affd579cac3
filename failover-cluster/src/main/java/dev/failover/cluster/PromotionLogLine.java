package dev.failover.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log line an instance writes when it becomes primary, parsed: for example
 * {@code Instance 'b' is now PRIMARY of group 'failover-sample' at epoch 2: primary 'a'
 * (epoch 1) silent for 3.001s (3.008s after the previous primary's last sign of life)}.
 * <p>
 * The duration in parentheses is the promotion time as the successor measured it with its
 * own clock: from the last heartbeat or shutdown notice it read from the previous primary
 * until it read back its own winning claim.
 *
 * @param instanceId the promoted instance
 * @param group the group
 * @param epoch the epoch it became primary at
 * @param reason why it claimed
 * @param sinceLastSignOfLife the successor's own promotion time, if the line states one (a
 * first primary of an empty group has no predecessor)
 */
public record PromotionLogLine(String instanceId, String group, long epoch, String reason,
		Optional<Duration> sinceLastSignOfLife) {

	/** Finds the line among others: the fixed words of the promotion message. */
	public static final Pattern PATTERN = Pattern
		.compile("Instance '([^']+)' is now PRIMARY of group '([^']+)' at epoch (\\d+): (.*)$");

	private static final Pattern SINCE = Pattern
		.compile("^(.*) \\((\\S+) after the previous primary's last sign of life\\)$");

	/**
	 * Parses a log line.
	 * @param line the line, with or without the logger's prefix
	 * @return the promotion, or empty if the line is not a promotion line
	 */
	public static Optional<PromotionLogLine> parse(String line) {
		Matcher matcher = PATTERN.matcher(line);
		if (!matcher.find()) {
			return Optional.empty();
		}
		String rest = matcher.group(4).trim();
		Optional<Duration> since = Optional.empty();
		Matcher sinceMatcher = SINCE.matcher(rest);
		if (sinceMatcher.matches()) {
			try {
				since = Optional.of(DurationText.parse(sinceMatcher.group(2)));
				rest = sinceMatcher.group(1);
			}
			catch (IllegalArgumentException ex) {
				// an unknown duration format: keep the whole text as the reason
			}
		}
		return Optional.of(new PromotionLogLine(matcher.group(1), matcher.group(2), Long.parseLong(matcher.group(3)), rest,
				since));
	}

	/**
	 * Returns a pattern that finds the promotion line of one instance at one epoch.
	 * @param instanceId the instance
	 * @param epoch the epoch
	 * @return the pattern
	 */
	public static Pattern of(String instanceId, long epoch) {
		return Pattern.compile("Instance '" + Pattern.quote(instanceId) + "' is now PRIMARY of group '[^']+' at epoch "
				+ epoch + ":");
	}

}
