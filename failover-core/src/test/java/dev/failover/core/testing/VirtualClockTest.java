package dev.failover.core.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import dev.failover.core.spi.Cancellable;
import dev.failover.core.spi.EventLoop;
import dev.failover.core.spi.FailoverClock;

class VirtualClockTest {

	private final VirtualClock clock = new VirtualClock();

	private final List<String> ran = new ArrayList<>();

	@Test
	void tasksRunInDueOrderThenSubmissionOrder() {
		EventLoop a = this.clock.newEventLoop("a");
		EventLoop b = this.clock.newEventLoop("b");
		a.schedule(() -> this.ran.add("a2@" + this.clock.elapsed().toMillis()), 2_000_000);
		b.schedule(() -> this.ran.add("b1@" + this.clock.elapsed().toMillis()), 1_000_000);
		a.execute(() -> this.ran.add("a0"));
		b.execute(() -> this.ran.add("b0"));
		this.clock.advance(Duration.ofMillis(5));
		assertThat(this.ran).containsExactly("a0", "b0", "b1@1", "a2@2");
		assertThat(this.clock.elapsed()).isEqualTo(Duration.ofMillis(5));
		assertThat(this.clock.instant()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:00.005Z"));
	}

	@Test
	void cancelledAndShutDownTasksDoNotRun() {
		EventLoop loop = this.clock.newEventLoop("l");
		Cancellable cancelled = loop.schedule(() -> this.ran.add("cancelled"), 10);
		cancelled.cancel();
		EventLoop dead = this.clock.newEventLoop("dead");
		dead.schedule(() -> this.ran.add("dead"), 10);
		dead.shutdown();
		dead.execute(() -> this.ran.add("after shutdown"));
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.ran).isEmpty();
		assertThat(this.clock.loops()).containsExactly(loop);
	}

	@Test
	void aPausedLoopRunsItsDueTasksInOrderWhenResumed() {
		EventLoop paused = this.clock.newEventLoop("paused");
		EventLoop other = this.clock.newEventLoop("other");
		paused.schedule(() -> this.ran.add("p1@" + this.clock.elapsed().toMillis()), 1_000_000);
		paused.schedule(() -> this.ran.add("p2@" + this.clock.elapsed().toMillis()), 2_000_000);
		other.schedule(() -> this.ran.add("o3@" + this.clock.elapsed().toMillis()), 3_000_000);
		this.clock.pause(paused);
		assertThat(this.clock.isPaused(paused)).isTrue();
		this.clock.advance(Duration.ofMillis(10));
		assertThat(this.ran).containsExactly("o3@3");
		this.clock.resume(paused);
		this.clock.advance(Duration.ZERO);
		assertThat(this.ran).containsExactly("o3@3", "p1@10", "p2@10");
	}

	@Test
	void inEventLoopIsTrueOnlyOnTheLoop() {
		EventLoop loop = this.clock.newEventLoop("l");
		loop.execute(() -> this.ran.add("in=" + loop.inEventLoop()));
		this.clock.advance(Duration.ZERO);
		assertThat(this.ran).containsExactly("in=true");
		assertThat(loop.inEventLoop()).isFalse();
	}

	@Test
	void advanceUntilStopsAtTheCondition() {
		EventLoop loop = this.clock.newEventLoop("l");
		loop.schedule(() -> this.ran.add("x"), 3_000_000);
		assertThat(this.clock.advanceUntil(() -> !this.ran.isEmpty(), Duration.ofSeconds(1))).isTrue();
		assertThat(this.clock.elapsed()).isEqualTo(Duration.ofMillis(3));
		assertThat(this.clock.advanceUntil(() -> false, Duration.ofSeconds(1))).isFalse();
		assertThat(this.clock.elapsed()).isEqualTo(Duration.ofMillis(1003));
	}

	@Test
	void awaitAdvancesVirtualTime() throws Exception {
		EventLoop loop = this.clock.newEventLoop("l");
		CompletableFuture<String> future = new CompletableFuture<>();
		loop.schedule(() -> future.complete("done"), Duration.ofSeconds(2).toNanos());
		assertThat(this.clock.await(future, Duration.ofSeconds(5))).isEqualTo("done");
		assertThatExceptionOfType(TimeoutException.class)
			.isThrownBy(() -> this.clock.await(new CompletableFuture<>(), Duration.ofSeconds(1)));
	}

	@Test
	void aFailingTaskStopsTheSimulationLoudly() {
		EventLoop loop = this.clock.newEventLoop("boom");
		loop.execute(() -> {
			throw new IllegalArgumentException("bug");
		});
		assertThatIllegalStateException().isThrownBy(() -> this.clock.advance(Duration.ofMillis(1)))
			.withMessageContaining("boom")
			.withMessageContaining("bug");
	}

	@Test
	void aLivelockIsDetected() {
		EventLoop loop = this.clock.newEventLoop("spinner");
		Runnable[] spin = new Runnable[1];
		spin[0] = () -> loop.execute(spin[0]);
		loop.execute(spin[0]);
		assertThatIllegalStateException().isThrownBy(() -> this.clock.advance(Duration.ofMillis(1)))
			.withMessageContaining("Livelock")
			.withMessageContaining("spinner");
	}

	@Test
	void theSystemClockRunsTasksOnANamedDaemonThread() throws Exception {
		FailoverClock system = FailoverClock.system();
		EventLoop loop = system.newEventLoop("failover-test-loop");
		try {
			CompletableFuture<Thread> thread = new CompletableFuture<>();
			loop.execute(() -> {
				throw new IllegalStateException("logged, not fatal");
			});
			loop.schedule(() -> thread.complete(Thread.currentThread()), 1_000_000);
			Thread ran = system.await(thread, Duration.ofSeconds(5));
			assertThat(ran.getName()).isEqualTo("failover-test-loop");
			assertThat(ran.isDaemon()).isTrue();
		}
		finally {
			loop.shutdown();
		}
		loop.execute(() -> this.ran.add("dropped"));
		assertThat(this.ran).isEmpty();
	}

}
