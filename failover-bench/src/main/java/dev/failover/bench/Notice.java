package dev.failover.bench;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A primary's shutdown notice as found on the heartbeat topic: when the leaving primary
 * built it ({@code sentAt}, its own clock, microseconds) and when the broker appended it
 * (the record's {@code LogAppendTime}, milliseconds).
 *
 * @param sentAt when the leaving primary built the record
 * @param appendedAt when the broker appended it
 */
record Notice(Instant sentAt, Instant appendedAt) {

	private static final Pattern SENT_AT = Pattern.compile("\"sentAt\":\"([^\"]+)\"");

	private static final String GROUP = "failover-sample";

	/**
	 * Finds the shutdown notice a primary wrote when it left an epoch.
	 * @param bootstrapServers the broker
	 * @param instanceId the leaving primary
	 * @param epoch the epoch it left
	 * @return the notice
	 * @throws IllegalStateException if it is not among the last records
	 */
	static Notice find(String bootstrapServers, String instanceId, long epoch) {
		List<HeartbeatLog.Entry> entries = HeartbeatLog.tail(bootstrapServers, GROUP, 200);
		for (HeartbeatLog.Entry entry : entries) {
			String text = entry.text();
			if (text.contains("\"type\":\"SHUTDOWN\"") && text.contains("\"instanceId\":\"" + instanceId + "\"")
					&& text.contains("\"epoch\":" + epoch + ",")) {
				Matcher matcher = SENT_AT.matcher(text);
				if (matcher.find()) {
					return new Notice(Instant.parse(matcher.group(1)), entry.timestamp());
				}
			}
		}
		throw new IllegalStateException("No shutdown notice of '" + instanceId + "' for epoch " + epoch + " on the topic");
	}

}
