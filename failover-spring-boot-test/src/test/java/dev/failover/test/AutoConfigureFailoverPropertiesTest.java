package dev.failover.test;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.failover.core.Role;
import dev.failover.core.Watcher;
import dev.failover.test.ReportsApplication.Reports;
import dev.failover.test.autoconfigure.AutoConfigureFailover;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties a test sets are honoured, except {@code failover.enabled}, which
 * {@link AutoConfigureFailover} turns on; the context starts with this instance secondary.
 */
@SpringBootTest(classes = ReportsApplication.class,
		properties = { "spring.application.name=orders", "failover.enabled=false", "failover.instance-id=orders-1",
				"failover.role=secondary", "failover.heartbeat-interval=300ms", "failover.heartbeat-timeout=1500ms" })
@AutoConfigureFailover
class AutoConfigureFailoverPropertiesTest {

	@Autowired
	private FailoverTestSupport failover;

	@Autowired
	private Watcher watcher;

	@Autowired
	private Reports reports;

	@Test
	void theTestsPropertiesAreHonouredAndTheContextStartsWithThisInstanceSecondary() {
		assertThat(this.watcher.isEnabled()).isTrue();
		assertThat(this.watcher.instanceId()).isEqualTo("orders-1");
		assertThat(this.watcher.group()).isEqualTo("orders");
		assertThat(this.watcher.config().role()).isEqualTo(Role.SECONDARY);
		assertThat(this.watcher.config().heartbeatInterval()).isEqualTo(Duration.ofMillis(300));
		assertThat(this.watcher.config().heartbeatTimeout()).isEqualTo(Duration.ofMillis(1500));
		assertThat(this.watcher.isPrimary()).isFalse();
		assertThat(this.reports.publish()).isFalse();
		assertThat(this.failover.roleChanges()).isEmpty();

		this.failover.becomeSecondary();
		assertThat(this.watcher.primaryId()).contains(this.failover.peerId());
		assertThat(this.failover.roleChanges()).isEmpty();

		this.failover.becomePrimary();
		assertThat(this.reports.publish()).isTrue();
	}

}
