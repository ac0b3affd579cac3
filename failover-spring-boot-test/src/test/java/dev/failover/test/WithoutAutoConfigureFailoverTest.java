package dev.failover.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import dev.failover.core.Watcher;
import dev.failover.kafka.KafkaTransport;
import dev.failover.test.ReportsApplication.Reports;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code @AutoConfigureFailover}, having the test module on the class path changes
 * nothing: the starter's defaults apply (failover disabled, the Kafka transport unused, the
 * instance keeps the primary role).
 */
@SpringBootTest(classes = ReportsApplication.class)
class WithoutAutoConfigureFailoverTest {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private Watcher watcher;

	@Autowired
	private Reports reports;

	@Test
	void theStartersDefaultsApplyAndNoTestSupportIsConfigured() {
		assertThat(this.context.getBeansOfType(FailoverTestSupport.class)).isEmpty();
		assertThat(this.context.getBeansOfType(RecordingRoleChangedEventPublisher.class)).isEmpty();
		assertThat(this.context.getBeansOfType(KafkaTransport.class)).hasSize(1);
		assertThat(this.watcher.isEnabled()).isFalse();
		assertThat(this.watcher.isPrimary()).isTrue();
		assertThat(this.reports.publish()).isTrue();
	}

}
