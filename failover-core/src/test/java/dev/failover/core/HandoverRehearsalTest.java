package dev.failover.core;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up rehearsal runs a switchover and a graceful handover for real (system clock,
 * event-loop threads, in-memory log), says nothing, and leaves nothing running.
 */
class HandoverRehearsalTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@Test
	void rehearsesASwitchoverThenAGracefulHandoverThenAVacantShutdown() {
		HandoverRehearsal.Outcome outcome = HandoverRehearsal.run(FailoverConfig.defaults(), TIMEOUT);

		assertThat(outcome.completed()).as(outcome.detail()).isTrue();
		assertThat(outcome.detail()).isEqualTo("done");
		assertThat(outcome.took()).isPositive().isLessThan(TIMEOUT);
		assertThat(changesOf(outcome, "r1")).containsExactly("SECONDARY->PRIMARY@1 NO_PRIMARY",
				"PRIMARY->SECONDARY@1 STEPPED_DOWN", "SECONDARY->PRIMARY@3 PRIMARY_LEFT",
				"PRIMARY->SECONDARY@3 SHUTDOWN");
		assertThat(changesOf(outcome, "r2")).containsExactly("SECONDARY->PRIMARY@2 PRIMARY_LEFT",
				"PRIMARY->SECONDARY@2 SHUTDOWN");
		assertThat(outcome.changes()).allSatisfy((change) -> assertThat(change.group()).isEqualTo("handover-rehearsal"));
	}

	@Test
	void rehearsesWithTheApplicationsSigningKey() {
		FailoverConfig signed = FailoverConfig.builder().signingKey("a-signing-key-of-at-least-32-characters").build();

		HandoverRehearsal.Outcome outcome = HandoverRehearsal.run(signed, TIMEOUT);

		assertThat(outcome.completed()).as(outcome.detail()).isTrue();
		assertThat(outcome.changes()).hasSize(6);
	}

	@Test
	void logsNothingAndLeavesNoThreadRunning() throws InterruptedException {
		PrintStream err = System.err;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		HandoverRehearsal.Outcome outcome;
		System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			outcome = HandoverRehearsal.run(FailoverConfig.defaults(), TIMEOUT);
		}
		finally {
			System.setErr(err);
		}

		assertThat(outcome.completed()).as(outcome.detail()).isTrue();
		// the watchers' role changes, logged at INFO by any other watcher, are not the application's
		assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("handover-rehearsal")
			.doesNotContain("'r1'")
			.doesNotContain("'r2'");
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!rehearsalThreads().isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(rehearsalThreads()).isEmpty();
	}

	@Test
	void aRehearsalThatCannotFinishInTimeSaysWhereItStoppedAndStopsItsWatchers() throws InterruptedException {
		HandoverRehearsal.Outcome outcome = HandoverRehearsal.run(FailoverConfig.defaults(), Duration.ofMillis(1));

		assertThat(outcome.completed()).isFalse();
		assertThat(outcome.detail()).contains("did not happen within 1 ms");
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!rehearsalThreads().isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(rehearsalThreads()).isEmpty();
	}

	private static List<String> changesOf(HandoverRehearsal.Outcome outcome, String instanceId) {
		return outcome.changes()
			.stream()
			.filter((change) -> change.instanceId().equals(instanceId))
			.map((change) -> change.oldRole().name() + "->" + change.newRole().name() + "@" + change.epoch() + " " + change.cause())
			.toList();
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
