package dev.failover.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.failover.core.spi.FailoverClock;
import dev.failover.core.testing.InMemoryLog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up rehearsal runs a switchover and a graceful handover for real (system clock,
 * event-loop threads, in-memory log) with quiet watchers, and leaves nothing running.
 */
class HandoverRehearsalTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@Test
	void rehearsesASwitchoverThenAGracefulHandoverThenAVacantShutdown() {
		HandoverRehearsal.Outcome outcome = HandoverRehearsal.run(FailoverConfig.defaults(), TIMEOUT);

		assertThat(outcome.completed()).as(outcome.detail()).isTrue();
		assertThat(outcome.detail()).isEqualTo("done");
		assertThat(outcome.took()).isPositive().isLessThan(TIMEOUT);
		// on a quiet machine exactly this; a stalled loop could add a lapse and a new election
		List<String> first = changesOf(outcome, "r1");
		List<String> second = changesOf(outcome, "r2");
		assertThat(first).as("r1's changes").startsWith("SECONDARY->PRIMARY@1 NO_PRIMARY").endsWith(
				"PRIMARY->SECONDARY@3 SHUTDOWN");
		assertThat(first).as("r1 stepped down for r2, and was handed the role back")
			.contains("PRIMARY->SECONDARY@1 STEPPED_DOWN", "SECONDARY->PRIMARY@3 PRIMARY_LEFT");
		assertThat(second).as("r2's changes").containsExactly("SECONDARY->PRIMARY@2 PRIMARY_LEFT",
				"PRIMARY->SECONDARY@2 SHUTDOWN");
		assertThat(outcome.changes()).allSatisfy((change) -> assertThat(change.group()).isEqualTo("handover-rehearsal"));
	}

	@Test
	void aQuietWatcherLogsNothingAboutItsRoleChangesAndAnOrdinaryOneDoes() {
		FailoverConfig config = FailoverConfig.defaults();
		try (InMemoryLog log = new InMemoryLog(FailoverClock.system())) {
			Watcher.Builder builder = Watcher.builder().group("g").instanceId("a").transport(log.connect("a")).config(config);
			assertThat(builder.build().isQuiet()).isFalse();
			assertThat(builder.quiet().build().isQuiet()).isTrue();
		}
	}

	@Test
	void rehearsesWithTheApplicationsSigningKey() {
		FailoverConfig signed = FailoverConfig.builder().signingKey("a-signing-key-of-at-least-32-characters").build();

		HandoverRehearsal.Outcome outcome = HandoverRehearsal.run(signed, TIMEOUT);

		assertThat(outcome.completed()).as(outcome.detail()).isTrue();
		assertThat(outcome.changes()).hasSize(6);
	}

	@Test
	void leavesNoThreadRunning() throws InterruptedException {
		HandoverRehearsal.Outcome outcome = HandoverRehearsal.run(FailoverConfig.defaults(), TIMEOUT);

		assertThat(outcome.completed()).as(outcome.detail()).isTrue();
		assertNoRehearsalThreadWithin(Duration.ofSeconds(10));
	}

	@Test
	void aRehearsalThatCannotFinishInTimeSaysWhereItStoppedAndStopsItsWatchers() throws InterruptedException {
		HandoverRehearsal.Outcome outcome = HandoverRehearsal.run(FailoverConfig.defaults(), Duration.ofMillis(1));

		assertThat(outcome.completed()).isFalse();
		assertThat(outcome.detail()).contains("did not happen within 1 ms");
		assertNoRehearsalThreadWithin(Duration.ofSeconds(10));
	}

	@Test
	void anInterruptedRehearsalSaysWhereItStoppedKeepsTheInterruptAndStopsItsWatchers() throws Exception {
		AtomicReference<HandoverRehearsal.Outcome> outcome = new AtomicReference<>();
		AtomicBoolean stillInterrupted = new AtomicBoolean();
		Thread thread = new Thread(() -> {
			// as when the application stops while the rehearsal runs: interrupted before its first wait
			Thread.currentThread().interrupt();
			outcome.set(HandoverRehearsal.run(FailoverConfig.defaults(), TIMEOUT));
			stillInterrupted.set(Thread.currentThread().isInterrupted());
		}, "rehearsal-test");
		thread.start();
		thread.join(TIMEOUT.toMillis());

		assertThat(thread.isAlive()).isFalse();
		assertThat(outcome.get().completed()).isFalse();
		assertThat(outcome.get().detail()).startsWith("interrupted at ");
		assertThat(outcome.get().took()).isLessThan(TIMEOUT);
		assertThat(stillInterrupted).isTrue();
		assertNoRehearsalThreadWithin(Duration.ofSeconds(10));
	}

	private static List<String> changesOf(HandoverRehearsal.Outcome outcome, String instanceId) {
		return outcome.changes()
			.stream()
			.filter((change) -> change.instanceId().equals(instanceId))
			.map((change) -> change.oldRole().name() + "->" + change.newRole().name() + "@" + change.epoch() + " " + change.cause())
			.toList();
	}

	private static void assertNoRehearsalThreadWithin(Duration wait) throws InterruptedException {
		long deadline = System.nanoTime() + wait.toNanos();
		while (!rehearsalThreads().isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(rehearsalThreads()).isEmpty();
	}

	private static List<String> rehearsalThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith("failover-handover-rehearsal-") || name.equals("failover-callbacks-r1")
					|| name.equals("failover-callbacks-r2"))
			.toList();
	}

}
