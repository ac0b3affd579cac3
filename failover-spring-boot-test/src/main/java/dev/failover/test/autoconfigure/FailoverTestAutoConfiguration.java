package dev.failover.test.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

import dev.failover.autoconfigure.FailoverAutoConfiguration;
import dev.failover.core.Watcher;
import dev.failover.core.spi.FailoverClock;
import dev.failover.core.testing.InMemoryLog;
import dev.failover.core.spi.Transport;
import dev.failover.event.RoleChangedEventPublisher;
import dev.failover.test.FailoverTestSupport;
import dev.failover.test.RecordingRoleChangedEventPublisher;

/**
 * Test auto-configuration of failover on an in-memory log, imported by
 * {@link AutoConfigureFailover}.
 * <p>
 * Its {@link Transport} makes the starter's Kafka transport back off; its
 * {@link RecordingRoleChangedEventPublisher} takes the place of the starter's publisher; and
 * {@link FailoverTestSupport} drives the role. The log runs on the system clock: the
 * application's own threads (schedulers, listeners) see real time pass.
 */
@AutoConfiguration(before = FailoverAutoConfiguration.class,
		beforeName = { "dev.failover.boot4.FailoverKafkaAutoConfiguration", "dev.failover.boot3.FailoverKafkaAutoConfiguration" })
public final class FailoverTestAutoConfiguration {

	/** The name this application's watcher connects to the log under. */
	static final String LINK = "application";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	InMemoryLog failoverTestLog() {
		return new InMemoryLog(FailoverClock.system());
	}

	@Bean
	@ConditionalOnMissingBean
	Transport failoverTestTransport(InMemoryLog failoverTestLog) {
		return failoverTestLog.connect(LINK);
	}

	@Bean
	@ConditionalOnMissingBean(RoleChangedEventPublisher.class)
	RecordingRoleChangedEventPublisher failoverTestRoleChangedEventPublisher(Watcher watcher,
			ApplicationEventPublisher publisher) {
		return new RecordingRoleChangedEventPublisher(watcher, publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	FailoverTestSupport failoverTestSupport(Watcher watcher, InMemoryLog failoverTestLog,
			ObjectProvider<RecordingRoleChangedEventPublisher> events) {
		RecordingRoleChangedEventPublisher recording = events.getIfAvailable();
		if (recording == null) {
			throw new IllegalStateException("FailoverTestSupport waits for role-change events through a "
					+ RecordingRoleChangedEventPublisher.class.getSimpleName()
					+ "; the application defines a RoleChangedEventPublisher of its own: remove it from the test's context");
		}
		return new FailoverTestSupport(watcher, failoverTestLog, recording);
	}

}
