package dev.failover.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import dev.failover.core.FailoverConfig;
import dev.failover.core.Role;
import dev.failover.core.Watcher;
import dev.failover.core.spi.FailoverClock;
import dev.failover.core.testing.InMemoryLog;
import dev.failover.core.spi.Transport;
import dev.failover.event.RoleChangedEventPublisher;
import dev.failover.kafka.KafkaTransport;
import dev.failover.primary.PrimaryOnly;
import dev.failover.primary.PrimaryOnlyBeanPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import dev.failover.config.FailoverProperties;
import dev.failover.config.WatcherCustomizer;
import dev.failover.internal.FailoverConfigFailureAnalyzer;
import dev.failover.internal.FailoverLifecycle;
import dev.failover.internal.LeaseLostExit;
import dev.failover.internal.ReadinessRoleMapper;
import dev.failover.boot4.FailoverKafkaAutoConfiguration;

class FailoverAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, FailoverKafkaAutoConfiguration.class,
				FailoverAutoConfiguration.class))
		// no start-up rehearsal: its threads would outlive a context by up to a second
		// (HandoverRehearsalTest and FailoverLifecycleTest cover it)
		.withPropertyValues("spring.application.name=orders", "failover.rehearse-handover=false");

	@Test
	void defaultsGiveADisabledWatcherThatKeepsThePrimaryRole() {
		this.runner.withUserConfiguration(InMemoryTransport.class).run((context) -> {
			assertThat(context).hasSingleBean(Watcher.class)
				.hasSingleBean(FailoverLifecycle.class)
				.hasSingleBean(RoleChangedEventPublisher.class)
				.hasSingleBean(PrimaryOnlyBeanPostProcessor.class)
				.doesNotHaveBean(ReadinessRoleMapper.class)
				.doesNotHaveBean(LeaseLostExit.class);
			Watcher watcher = context.getBean(Watcher.class);
			assertThat(watcher.config()).isEqualTo(FailoverConfig.defaults());
			assertThat(watcher.group()).isEqualTo("orders");
			assertThat(watcher.instanceId()).isEqualTo(Watcher.defaultInstanceId());
			assertThat(watcher.state()).isEqualTo(Watcher.State.STARTED);
			assertThat(watcher.isPrimary()).as("an app that merely adds the starter keeps its primary work").isTrue();
			assertThat(watcher.status().connected()).isFalse();
		});
	}

	@Test
	void closingTheContextHandsOverBeforeTheOtherCloseListenersAndLifecycleBeansRun() {
		this.runner.withUserConfiguration(InMemoryTransport.class, CloseObservers.class)
			.withPropertyValues("failover.enabled=true", "failover.heartbeat-interval=100ms",
					"failover.heartbeat-timeout=300ms")
			.run((context) -> {
				Watcher watcher = context.getBean(Watcher.class);
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(watcher::isPrimary);
				CloseObservers observers = context.getBean(CloseObservers.class);
				context.close();
				assertThat(observers.seen).as("isPrimary() seen by a close listener, then by a lifecycle bean stopped "
						+ "before failover's phase").containsExactly(false, false);
				assertThat(watcher.state()).isEqualTo(Watcher.State.CLOSED);
			});
	}

	@Test
	void propertyDefaultsEqualCoreDefaults() {
		FailoverProperties properties = new FailoverProperties();
		FailoverConfig defaults = FailoverConfig.defaults();
		assertThat(properties.toConfig()).isEqualTo(defaults);
		assertThat(properties.isEnabled()).isEqualTo(defaults.enabled());
		assertThat(properties.getRole()).isEqualTo(defaults.role());
		assertThat(properties.getHeartbeatInterval()).isEqualTo(defaults.heartbeatInterval());
		assertThat(properties.getHeartbeatTimeout()).isEqualTo(defaults.heartbeatTimeout());
		assertThat(properties.getPriority()).isEqualTo(defaults.priority());
		assertThat(properties.getMaxRecordSize().toBytes()).isEqualTo(defaults.maxRecordSize());
		assertThat(properties.getShutdownTimeout()).isEqualTo(defaults.shutdownTimeout());
		assertThat(properties.getKafka().getTopic()).isEqualTo(dev.failover.kafka.KafkaTransportOptions.DEFAULT_TOPIC);
		assertThat(properties.getKafka().getPartitions())
			.isEqualTo(dev.failover.kafka.KafkaTransportOptions.DEFAULT_PARTITIONS);
		assertThat(properties.getKafka().getPartition())
			.isEqualTo(dev.failover.kafka.KafkaTransportOptions.builder().build().partition());
		assertThat(properties.getKafka().getMinCompactionLag())
			.isEqualTo(dev.failover.kafka.KafkaTransportOptions.DEFAULT_MIN_COMPACTION_LAG);
	}

	@Test
	void propertiesMapOntoTheWatcher() {
		this.runner.withUserConfiguration(InMemoryTransport.class)
			.withPropertyValues("failover.enabled=true", "failover.role=secondary", "failover.group=billing",
					"failover.instance-id=billing-7", "failover.heartbeat-interval=200ms",
					"failover.heartbeat-timeout=1s", "failover.lease-margin=300ms", "failover.priority=4",
					"failover.claim-stagger=5ms", "failover.max-record-size=8KB",
					"failover.signing-key=a-secret-shared-by-the-group",
					"failover.accepted-signing-keys=the-next-secret-of-the-group,a-secret-shared-by-the-group",
					"failover.accept-unsigned-records=true")
			.run((context) -> {
				Watcher watcher = context.getBean(Watcher.class);
				assertThat(watcher.group()).isEqualTo("billing");
				assertThat(watcher.instanceId()).isEqualTo("billing-7");
				FailoverConfig config = watcher.config();
				assertThat(config.enabled()).isTrue();
				assertThat(config.role()).isEqualTo(Role.SECONDARY);
				assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(200));
				assertThat(config.lease()).isEqualTo(Duration.ofMillis(700));
				assertThat(config.priority()).isEqualTo(4);
				assertThat(config.claimStagger()).isEqualTo(Duration.ofMillis(5));
				assertThat(config.maxRecordSize()).isEqualTo(8192);
				assertThat(config.signingKey()).isEqualTo("a-secret-shared-by-the-group");
				assertThat(config.acceptedSigningKeys()).containsExactly("the-next-secret-of-the-group");
				assertThat(config.acceptUnsigned()).isTrue();
				assertThat(watcher.status().connected()).isTrue();
			});
	}

	@Test
	void disabledFailoverCreatesNoKafkaClientAndConnectsNowhere() {
		this.runner.withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:9", "failover.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(KafkaTransport.class);
				assertThat(context.getBean(Watcher.class).status().connected()).isFalse();
				assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
					.noneMatch((name) -> name.startsWith("failover-") || name.startsWith("kafka-"));
			});
	}

	@Test
	void aUserTransportReplacesTheKafkaTransport() {
		this.runner.withUserConfiguration(InMemoryTransport.class).run((context) -> {
			assertThat(context).hasSingleBean(Transport.class).doesNotHaveBean(KafkaTransport.class);
		});
	}

	@Test
	void aUserWatcherReplacesTheAutoConfiguredOne() {
		this.runner.withUserConfiguration(InMemoryTransport.class, UserWatcher.class).run((context) -> {
			assertThat(context).hasSingleBean(Watcher.class);
			assertThat(context.getBean(Watcher.class).instanceId()).isEqualTo("users-own");
			assertThat(context.getBean(Watcher.class).state()).as("started by the life cycle")
				.isEqualTo(Watcher.State.STARTED);
		});
	}

	@Test
	void customizersApplyInOrder() {
		this.runner.withUserConfiguration(InMemoryTransport.class, Customizers.class).run((context) -> {
			assertThat(context.getBean(Watcher.class).instanceId()).isEqualTo("second");
			assertThat(context.getBean(Customizers.class).calls).containsExactly("first", "second");
		});
	}

	@Test
	void withoutKafkaOnTheClasspathADisabledWatcherStillWorks() {
		this.runner.withClassLoader(new FilteredClassLoader("org.apache.kafka", "org.springframework.kafka"))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(KafkaTransport.class).hasSingleBean(Watcher.class);
				assertThat(context.getBean(Watcher.class).isPrimary()).isTrue();
			});
	}

	@Test
	void withoutKafkaOnTheClasspathEnablingFailoverFailsWithAnExplanation() {
		this.runner.withClassLoader(new FilteredClassLoader("org.apache.kafka", "org.springframework.kafka"))
			.withPropertyValues("failover.enabled=true")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("failover.enabled", "No failover transport is available"));
	}

	@Test
	void anInvalidTimeoutIsExplainedByTheFailureAnalyzer() {
		this.runner.withUserConfiguration(InMemoryTransport.class)
			.withPropertyValues("failover.heartbeat-interval=2s", "failover.heartbeat-timeout=3s")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription()).startsWith(
						"Invalid failover configuration: property 'failover.heartbeat-timeout': failover.heartbeat-timeout (3s) "
								+ "must be at least twice failover.heartbeat-interval (2s)");
				assertThat(analysis.getAction()).contains("Set failover.heartbeat-timeout to 6s or more");
			});
	}

	@Test
	void aMissingGroupIsExplainedWhenFailoverIsEnabled() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FailoverAutoConfiguration.class))
			.withUserConfiguration(InMemoryTransport.class)
			.withPropertyValues("failover.enabled=true")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'failover.group'", "spring.application.name");
			});
	}

	@Test
	void anUnknownRoleFailsBindingWithThePropertyName() {
		this.runner.withUserConfiguration(InMemoryTransport.class)
			.withPropertyValues("failover.role=leader")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("leader");
				Throwable bind = context.getStartupFailure();
				while (bind != null && !(bind instanceof BindException)) {
					bind = bind.getCause();
				}
				assertThat(bind).isInstanceOf(BindException.class).hasMessageContaining("failover.role");
			});
	}

	@Test
	void optionalListenersAreOptIn() {
		this.runner.withUserConfiguration(InMemoryTransport.class)
			.withPropertyValues("failover.readiness.enabled=true", "failover.on-lease-lost=exit")
			.run((context) -> assertThat(context).hasSingleBean(ReadinessRoleMapper.class)
				.hasSingleBean(LeaseLostExit.class));
	}

	@Test
	void primaryOnlyMethodsRunOnlyOnThePrimary() {
		this.runner.withUserConfiguration(InMemoryTransport.class, Jobs.class).run((context) -> {
			Jobs.Job job = context.getBean(Jobs.Job.class);
			assertThat(job.run()).isEqualTo(1);
			assertThat(job.calls()).isEqualTo(1);
		});
		this.runner.withUserConfiguration(InMemoryTransport.class, Jobs.class)
			.withPropertyValues("failover.role=secondary")
			.run((context) -> {
				Jobs.Job job = context.getBean(Jobs.Job.class);
				assertThat(job.run()).as("skipped: primitive default").isZero();
				assertThat(job.calls()).isZero();
				assertThat(context.getBean(Jobs.WholeClass.class).name()).isNull();
			});
	}

	@Test
	void primaryOnlyLifecycleBeansFollowTheStaticRole() {
		this.runner.withUserConfiguration(InMemoryTransport.class, Lifecycles.class)
			.withPropertyValues("failover.primary-only.lifecycle-beans=worker")
			.run((context) -> assertThat(context.getBean("worker", SmartLifecycle.class).isRunning()).isTrue());
		this.runner.withUserConfiguration(InMemoryTransport.class, Lifecycles.class)
			.withPropertyValues("failover.primary-only.lifecycle-beans=worker", "failover.role=secondary")
			.run((context) -> assertThat(context.getBean("worker", SmartLifecycle.class).isRunning()).isFalse());
	}

	@Test
	void theApplicationsOwnCallbacksAndThePrimaryOnlyBeansBothFollowTheRole() {
		List<String> calls = new CopyOnWriteArrayList<>();
		this.runner.withUserConfiguration(InMemoryTransport.class, Lifecycles.class)
			.withBean(WatcherCustomizer.class,
					() -> (builder) -> builder.onPromote((epoch) -> calls.add("promote " + epoch))
						.onDemote((epoch) -> calls.add("demote " + epoch)))
			.withPropertyValues("failover.enabled=true", "failover.primary-only.lifecycle-beans=worker",
					"failover.heartbeat-interval=100ms", "failover.heartbeat-timeout=300ms")
			.run((context) -> {
				Watcher watcher = context.getBean(Watcher.class);
				SmartLifecycle worker = context.getBean("worker", SmartLifecycle.class);
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(watcher::isPrimary);
				assertThat(worker.isRunning()).isTrue();
				assertThat(calls).containsExactly("promote " + watcher.epoch());
				long epoch = watcher.epoch();
				// alone in its group it would claim again at once: keep it secondary
				watcher.setEnabled(false);
				watcher.stepDown();
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !worker.isRunning());
				Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("demote " + epoch));
			});
	}

	@Test
	void anUnknownPrimaryOnlyBeanIsExplained() {
		this.runner.withUserConfiguration(InMemoryTransport.class)
			.withPropertyValues("failover.primary-only.lifecycle-beans=nope")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("failover.primary-only.lifecycle-beans", "'nope'"));
	}

	@Test
	void anInvalidTopicIsExplained() {
		this.runner.withPropertyValues("failover.kafka.topic=not a topic")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("failover.kafka.topic", "'not a topic'"));
	}

	@Test
	void aNegativePartitionIsExplained() {
		this.runner.withPropertyValues("failover.kafka.partition=-1")
			.run((context) -> assertThat(analysis(context.getStartupFailure()).getDescription())
				.contains("failover.kafka.partition", "(-1) must not be negative"));
	}

	@Test
	void anInvalidProbePortIsExplained() {
		this.runner.withPropertyValues("failover.process-probe.port=70000")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("property 'failover.process-probe.port'", "(70000)");
				assertThat(analysis.getAction()).contains("failover.process-probe.port to 0");
			});
	}

	@Test
	void theProcessProbeSettingsReachTheWatcher() {
		this.runner
			.withPropertyValues("failover.process-probe.enabled=true", "failover.process-probe.host=127.0.0.1",
					"failover.process-probe.port=0")
			.run((context) -> {
				FailoverConfig config = context.getBean(Watcher.class).config();
				assertThat(config.processProbe()).isTrue();
				assertThat(config.processProbeHost()).isEqualTo("127.0.0.1");
				assertThat(config.processProbePort()).isZero();
			});
	}

	@Test
	void everyInvalidTransportOptionIsReportedUnderItsPropertyWithItsFix() {
		Map<String, String> cases = Map.of("failover.kafka.partitions=0", "failover.kafka.partitions",
				"failover.kafka.replication-factor=0", "failover.kafka.replication-factor",
				"failover.kafka.min-compaction-lag=0s", "failover.kafka.min-compaction-lag",
				"failover.kafka.operation-timeout=-1s", "failover.kafka.operation-timeout");
		cases.forEach((setting, property) -> this.runner.withPropertyValues(setting).run((context) -> {
			FailureAnalysis analysis = analysis(context.getStartupFailure());
			assertThat(analysis.getDescription()).as(setting).contains("property '" + property + "'");
			assertThat(analysis.getAction()).as(setting).startsWith("Set ");
		}));
	}

	@Test
	void theConfiguredPartitionReachesTheTransport() {
		this.runner.withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:9", "failover.enabled=false",
					"failover.kafka.partition=3")
			.run((context) -> assertThat(context.getBean(KafkaTransport.class).partition()).isEqualTo(3));
	}

	static FailureAnalysis analysis(Throwable failure) {
		assertThat(failure).as("startup failure").isNotNull();
		FailureAnalysis analysis = new FailoverConfigFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class InMemoryTransport {

		@Bean(destroyMethod = "close")
		InMemoryLog inMemoryLog() {
			return new InMemoryLog(FailoverClock.system());
		}

		@Bean
		Transport transport(InMemoryLog log) {
			return log.connect("test");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CloseObservers {

		final List<Boolean> seen = new CopyOnWriteArrayList<>();

		@Bean
		ApplicationListener<ContextClosedEvent> userCloseListener(ObjectProvider<Watcher> watcher) {
			return (event) -> this.seen.add(watcher.getObject().isPrimary());
		}

		@Bean
		SmartLifecycle stoppedFirst(ObjectProvider<Watcher> watcher) {
			// above failover's phase: stopped before it
			return new TestLifecycle(Integer.MAX_VALUE, () -> this.seen.add(watcher.getObject().isPrimary()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserWatcher {

		@Bean
		Watcher myWatcher(Transport transport) {
			return Watcher.builder().group("orders").instanceId("users-own").transport(transport).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Customizers {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		WatcherCustomizer second() {
			return (builder) -> {
				this.calls.add("second");
				builder.instanceId("second");
			};
		}

		@Bean
		@Order(1)
		WatcherCustomizer first() {
			return (builder) -> {
				this.calls.add("first");
				builder.instanceId("first");
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Jobs {

		@Bean
		Job job() {
			return new Job();
		}

		@Bean
		WholeClass wholeClass() {
			return new WholeClass();
		}

		static class Job {

			final AtomicInteger calls = new AtomicInteger();

			@PrimaryOnly
			public int run() {
				return this.calls.incrementAndGet();
			}

			public int calls() {
				return this.calls.get();
			}

		}

		@PrimaryOnly
		static class WholeClass {

			public String name() {
				return "ran";
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Lifecycles {

		@Bean
		SmartLifecycle worker() {
			return new TestLifecycle(SmartLifecycle.DEFAULT_PHASE, () -> {
			});
		}

	}

	/** A lifecycle bean that runs an action when it is stopped. */
	static final class TestLifecycle implements SmartLifecycle {

		private final int phase;

		private final Runnable onStop;

		private volatile boolean running;

		TestLifecycle(int phase, Runnable onStop) {
			this.phase = phase;
			this.onStop = onStop;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.onStop.run();
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

}
