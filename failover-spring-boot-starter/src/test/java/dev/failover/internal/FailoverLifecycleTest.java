package dev.failover.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;

import dev.failover.core.FailoverConfig;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.core.spi.FailoverClock;
import dev.failover.core.testing.InMemoryLog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lifecycle's JVM shutdown hook: held while running, handing over when the JVM shuts
 * down even if nothing closes the context, and removed when the lifecycle stops; and its
 * close listener, which holds the rest of the close until the successor has taken over.
 */
class FailoverLifecycleTest {

	private static final FailoverConfig CONFIG = FailoverConfig.builder()
		.enabled(true)
		.heartbeatInterval(Duration.ofMillis(100))
		.heartbeatTimeout(Duration.ofMillis(500))
		.build();

	private final InMemoryLog log = new InMemoryLog(FailoverClock.system());

	private final List<RoleChange> changes = new CopyOnWriteArrayList<>();

	private final Watcher primary = Watcher.forPrimary("orders", "a", this.log.connect("a"), CONFIG);

	private final Watcher secondary = Watcher.forSecondary("orders", "b", this.log.connect("b"), CONFIG);

	private final FailoverLifecycle lifecycle = new FailoverLifecycle(this.primary, List.of(this.changes::add),
			Duration.ofSeconds(5), false);

	@AfterEach
	void close() {
		this.lifecycle.stop();
		this.secondary.closeAbruptly();
		this.log.close();
	}

	@Test
	void theJvmShutdownHookHandsOverWithoutTheContextClosing() {
		this.secondary.addListener(this.changes::add);
		this.lifecycle.start();
		this.secondary.start();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(this.primary::isPrimary);
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.primary.status().members().stream().anyMatch((member) -> member.instanceId().equals("b")));
		Thread hook = this.lifecycle.shutdownHook();
		assertThat(hook).isNotNull();
		assertThat(hook.getName()).isEqualTo("failover-shutdown-hook");
		assertThat(Runtime.getRuntime().removeShutdownHook(hook)).as("registered with the JVM").isTrue();

		// what the JVM does on SIGTERM, while Spring's own hook may be off
		hook.run();

		assertThat(this.primary.state()).isEqualTo(Watcher.State.CLOSED);
		assertThat(this.primary.shutdownAsync()).as("the hook returns once the watcher has left, notice written")
			.isDone();
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(this.secondary::isPrimary);
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.changes).anySatisfy((change) -> {
				assertThat(change.instanceId()).isEqualTo("b");
				assertThat(change.isPromotion()).isTrue();
				assertThat(change.cause()).isEqualTo(RoleChange.Cause.PRIMARY_LEFT);
			}));
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.changes).anySatisfy((change) -> {
				assertThat(change.instanceId()).isEqualTo("a");
				assertThat(change.cause()).isEqualTo(RoleChange.Cause.SHUTDOWN);
			}));
	}

	@Test
	void theCloseListenerHoldsTheRestOfTheCloseUntilTheSuccessorHasTakenOver() {
		// a long interval, so that the hold's bound (one interval) cannot be what ends it
		FailoverConfig slow = CONFIG.toBuilder()
			.heartbeatInterval(Duration.ofSeconds(2))
			.heartbeatTimeout(Duration.ofSeconds(6))
			.build();
		Watcher leaving = Watcher.forPrimary("payments", "a", this.log.connect("a"), slow);
		Watcher successor = Watcher.forSecondary("payments", "b", this.log.connect("b"), slow);
		FailoverLifecycle closing = new FailoverLifecycle(leaving, List.of(), Duration.ofSeconds(5), false);
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			closing.setApplicationContext(context);
			closing.start();
			successor.start();
			Awaitility.await().atMost(Duration.ofSeconds(20)).until(leaving::isPrimary);
			Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.until(() -> leaving.status().members().stream().anyMatch((member) -> member.instanceId().equals("b")));

			closing.onApplicationEvent(new ContextClosedEvent(context));

			assertThat(leaving.shutdownAsync()).as("the listener returns once the watcher has left").isDone();
			assertThat(successor.isPrimary()).as("the successor has taken over").isTrue();
		}
		finally {
			closing.stop();
			successor.closeAbruptly();
		}
	}

	@Test
	void stoppingRemovesTheHook() {
		this.lifecycle.start();
		Thread hook = this.lifecycle.shutdownHook();
		assertThat(hook).isNotNull();

		this.lifecycle.stop();

		assertThat(this.lifecycle.shutdownHook()).isNull();
		assertThat(Runtime.getRuntime().removeShutdownHook(hook)).as("no longer registered").isFalse();
	}

	@Test
	void startingAgainAfterAStopHoldsNoHook() {
		this.lifecycle.start();
		this.lifecycle.stop();

		this.lifecycle.start();

		assertThat(this.primary.state()).isEqualTo(Watcher.State.CLOSED);
		assertThat(this.lifecycle.shutdownHook()).isNull();
	}

	@Test
	void stoppingWithACallbackRemovesTheHookToo() throws InterruptedException {
		this.lifecycle.start();
		Thread hook = this.lifecycle.shutdownHook();
		CountDownLatch stopped = new CountDownLatch(1);

		this.lifecycle.stop(stopped::countDown);

		assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(Runtime.getRuntime().removeShutdownHook(hook)).as("no longer registered").isFalse();
	}

}
