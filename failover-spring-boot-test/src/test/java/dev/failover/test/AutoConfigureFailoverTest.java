package dev.failover.test;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.core.spi.Transport;
import dev.failover.event.RoleChangedEvent;
import dev.failover.kafka.KafkaTransport;
import dev.failover.test.ReportsApplication.Reports;
import dev.failover.test.ReportsApplication.RoleEvents;
import dev.failover.test.autoconfigure.AutoConfigureFailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A test of a user's application with {@link AutoConfigureFailover}: the role is driven
 * from the test, with no Kafka, and every method returns once the application has heard of
 * the change.
 */
@SpringBootTest(classes = ReportsApplication.class)
@AutoConfigureFailover
class AutoConfigureFailoverTest {

	@Autowired
	private FailoverTestSupport failover;

	@Autowired
	private Watcher watcher;

	@Autowired
	private Reports reports;

	@Autowired
	private RoleEvents events;

	@Autowired
	private ApplicationContext context;

	@Test
	void aPrimaryOnlyMethodRunsOnlyWhileThisInstanceIsPrimary() {
		this.failover.becomePrimary();
		int before = this.reports.published();
		assertThat(this.reports.publish()).isTrue();
		assertThat(this.reports.published()).isEqualTo(before + 1);

		this.failover.becomeSecondary();
		assertThat(this.reports.publish()).isFalse();
		assertThat(this.reports.published()).isEqualTo(before + 1);
	}

	@Test
	void becomingPrimaryReturnsOnceTheApplicationHasHeardOfThePromotion() {
		this.failover.becomeSecondary();
		this.failover.becomePrimary();
		RoleChangedEvent last = this.events.last();
		assertThat(last).isNotNull();
		assertThat(last.isPromotion()).isTrue();
		assertThat(last.getCause()).isEqualTo(RoleChange.Cause.PRIMARY_LEFT);
		assertThat(last.getEpoch()).isEqualTo(this.watcher.epoch());
		assertThat(this.watcher.isPrimary()).isTrue();
		assertThat(this.failover.roleChanges()).last().isEqualTo(last.getChange());
	}

	@Test
	void becomingSecondaryHandsTheRoleToThePeerAndReturnsOnceTheApplicationHasHeardOfIt() {
		this.failover.becomePrimary();
		long epoch = this.watcher.epoch();
		this.failover.becomeSecondary();
		RoleChangedEvent last = this.events.last();
		assertThat(last.isDemotion()).isTrue();
		assertThat(last.getCause()).isEqualTo(RoleChange.Cause.STEPPED_DOWN);
		assertThat(last.getEpoch()).isEqualTo(epoch);
		assertThat(this.watcher.isPrimary()).isFalse();
		assertThat(this.watcher.primaryId()).contains(this.failover.peerId());
		assertThat(this.watcher.epoch()).isGreaterThan(epoch);
	}

	@Test
	void becomingTheRoleThisInstanceAlreadyHasChangesNothing() {
		this.failover.becomePrimary();
		int heard = this.events.received().size();
		long epoch = this.watcher.epoch();
		this.failover.becomePrimary();
		assertThat(this.events.received()).hasSize(heard);
		assertThat(this.watcher.epoch()).isEqualTo(epoch);
	}

	@Test
	void whenThePrimaryPeerCrashesThisInstanceTakesOverAfterTheHeartbeatTimeout() {
		this.failover.becomeSecondary();
		this.failover.crashPeer();
		RoleChangedEvent last = this.events.last();
		assertThat(last.isPromotion()).isTrue();
		assertThat(last.getCause()).isEqualTo(RoleChange.Cause.PRIMARY_SILENT);
		assertThat(last.getSinceLastHeartbeat()).isGreaterThanOrEqualTo(this.watcher.config().heartbeatTimeout());
		assertThat(this.reports.publish()).isTrue();

		// a new peer joins, and takes the role over
		this.failover.becomeSecondary();
		assertThat(this.watcher.primaryId()).contains(this.failover.peerId());
		assertThat(this.reports.publish()).isFalse();
	}

	@Test
	void crashingThePeerWhileThisInstanceIsPrimaryIsRefused() {
		this.failover.becomePrimary();
		assertThatIllegalStateException().isThrownBy(this.failover::crashPeer)
			.withMessageContaining("the peer is not primary")
			.withMessageContaining("becomeSecondary()");
		assertThat(this.watcher.isPrimary()).isTrue();
	}

	@Test
	void theInMemoryLogReplacesKafkaAndFailoverRunsWithTestTimings() {
		assertThat(this.context.getBeansOfType(KafkaTransport.class)).isEmpty();
		assertThat(this.context.getBeansOfType(Transport.class)).hasSize(1);
		assertThat(this.watcher.isEnabled()).isTrue();
		assertThat(this.watcher.config().heartbeatInterval()).isEqualTo(Duration.ofMillis(200));
		assertThat(this.watcher.config().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.watcher.group()).isEqualTo("failover-test");
	}

}
