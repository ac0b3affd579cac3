package dev.failover.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import dev.failover.event.RoleChangedEvent;

/**
 * Appends every role change of this instance to a file, one JSON object per line, when
 * {@code sample.role-log} names one: what a fault-injection checker reads to prove that
 * primary intervals never overlap, and when this {@code @EventListener} heard of the change
 * (what the benchmark times a handover to, as an application hears it).
 */
@Component
public class RoleLog {

	private static final Logger logger = LoggerFactory.getLogger(RoleLog.class);

	private final Path file;

	public RoleLog(@Value("${sample.role-log:}") String file) {
		this.file = StringUtils.hasText(file) ? Path.of(file) : null;
	}

	/**
	 * Records a role change. Runs before the application's other listeners of the event
	 * (this one only takes the time and appends a line): what it dates is when the
	 * application hears of the change, not how long the listeners before it took, such as
	 * the ledger's takeover, which starts a transactional producer.
	 * @param event the role change
	 */
	@EventListener
	@Order(Ordered.HIGHEST_PRECEDENCE)
	public synchronized void onRoleChanged(RoleChangedEvent event) {
		// when the application hears of it, as opposed to when the watcher changed roles
		Instant heardAt = Instant.now();
		if (this.file == null) {
			return;
		}
		String line = "{\"instanceId\":\"" + event.getInstanceId() + "\",\"from\":\"" + event.getOldRole()
				+ "\",\"to\":\"" + event.getNewRole() + "\",\"epoch\":" + event.getEpoch() + ",\"cause\":\""
				+ event.getCause() + "\",\"at\":\"" + event.getChangedAt() + "\",\"sinceLastHeartbeatMs\":"
				+ ((event.getSinceLastHeartbeat() != null) ? event.getSinceLastHeartbeat().toMillis() : -1)
				+ ",\"heardAt\":\"" + heardAt + "\"}\n";
		try {
			// no fsync: the line survives the process (a checker reads it after SIGKILL), and
			// a disk flush would only slow the event thread
			Files.writeString(this.file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			logger.warn("Cannot write the role log {}: {}", this.file, ex.toString());
		}
	}

}
