package dev.failover.demo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.failover.testkit.Sleeps;
import dev.failover.cluster.InstanceStatus;
import dev.failover.cluster.Promotion;
import dev.failover.cluster.PromotionLogLine;
import dev.failover.cluster.PromotionWatch;
import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleInstance;
import dev.failover.cluster.StepDownResult;

/**
 * The demo's role changes, each timed from its cause to the first poll that shows the new
 * primary: a crash ({@code kill -9} of the primary: its process is gone, and the process probe
 * tells the others at once), a pause ({@code SIGSTOP}: the process lives, gives no evidence,
 * and the others wait out its silence) and a graceful switchover (a step-down request to the
 * primary's Actuator endpoint).
 */
final class FailoverSteps {

	private static final Duration LOG_WAIT = Duration.ofSeconds(5);

	private static final Duration TABLE_EVERY = Duration.ofSeconds(1);

	private final DemoState state;

	private final Console console;

	FailoverSteps(DemoState state) {
		this.state = state;
		this.console = state.console;
	}

	void crash() {
		this.console.step(3, DemoRun.STEPS, "Crash: kill -9 the primary");
		SampleInstance victim = this.state.primary;
		InstanceStatus before = victim.status();
		this.console.line("killing " + victim.id() + " (pid " + victim.process().orElseThrow().pid()
				+ ") with SIGKILL; its kernel closes its sockets, so the secondaries' probe connections end and a new "
				+ "one is refused: they take over at once, without waiting out "
				+ Format.duration(this.state.heartbeatTimeout) + " of silence");
		Map<String, Long> positions = logPositions();
		Map<String, Long> writes = this.state.writesNow();
		// generous: a loaded machine may add seconds, but a failover this late is a failure worth reporting
		Duration deadline = Duration.ofSeconds(Math.max(15, this.state.heartbeatTimeout.toSeconds() * 3));
		long killed;
		Promotion promotion;
		try (PromotionWatch watch = this.state.cluster.watchForPromotion(before.epoch())) {
			killed = System.nanoTime();
			victim.kill();
			promotion = awaitPromotion(watch, killed, deadline, "after the kill");
		}
		this.state.crashed = victim;
		SampleInstance successor = promotion.instance();
		String detected = Format.duration(promotion.since(killed));
		String cause = awaitCause(successor, promotion.epoch());
		if (!"PRIMARY_GONE".equals(cause)) {
			throw new CheckFailed(successor.id() + " took over for " + cause + ", not on the evidence of the killed "
					+ "process's closed probe endpoint");
		}
		this.console.line(successor.id() + " is primary at epoch " + promotion.epoch() + ": first seen " + detected
				+ " after the kill (every instance polled every 10 ms)");
		Optional<String> own = ownPromotionTime(promotion, positions);
		own.ifPresent((time) -> this.console.line(successor.id() + "'s own log: promoted " + time
				+ " after the last heartbeat it had read from " + victim.id()));
		takeOver(successor, promotion, writes);
		this.state.record("crash failover (kill -9)", victim.id() + " -> " + successor.id() + ", epoch " + promotion.epoch(),
				detected + " (on the probe's evidence)");
		this.state.hold();
	}

	void pause() {
		this.console.step(5, DemoRun.STEPS, "Pause: SIGSTOP the primary (a long GC pause, a frozen VM)");
		SampleInstance victim = this.state.primary;
		InstanceStatus before = victim.status();
		Duration pause = this.state.heartbeatTimeout.plus(this.state.heartbeatInterval.multipliedBy(2));
		this.console.line("freezing " + victim.id() + " with SIGSTOP for " + Format.duration(pause) + ": its sockets stay "
				+ "open, so the probe gives no evidence; the secondaries wait out " + Format.duration(this.state.heartbeatTimeout)
				+ " of silence, and its lease has ended before they may claim");
		Promotion promotion;
		long paused;
		Map<String, Long> writes = this.state.writesNow();
		try (PromotionWatch watch = this.state.cluster.watchForPromotion(before.epoch())) {
			paused = System.nanoTime();
			victim.pause();
			promotion = awaitPromotion(watch, paused, pause.plus(Duration.ofSeconds(15)), "after the SIGSTOP");
		}
		Duration took = promotion.since(paused);
		if (took.compareTo(this.state.heartbeatTimeout.minus(this.state.heartbeatInterval)) < 0) {
			victim.resume();
			throw new CheckFailed(promotion.instance().id() + " took over " + Format.duration(took) + " after the "
					+ "SIGSTOP: before the paused primary's silence could have lasted a timeout");
		}
		Sleeps.sleep(pause.minus(Duration.ofNanos(System.nanoTime() - paused)));
		victim.resume();
		Sleeps.sleep(this.state.heartbeatInterval);
		InstanceStatus woken = victim.status();
		this.console.line(promotion.instance().id() + " is primary at epoch " + promotion.epoch() + ": first seen "
				+ Format.duration(took) + " after the SIGSTOP; " + victim.id() + " resumed and reports "
				+ woken.role() + " (its lease had ended while it was frozen)");
		if (woken.isPrimary()) {
			throw new CheckFailed(victim.id() + " still reports primary after waking");
		}
		takeOver(promotion.instance(), promotion, writes);
		this.state.record("pause (SIGSTOP)", victim.id() + " -> " + promotion.instance().id() + ", epoch "
				+ promotion.epoch(), Format.duration(took) + " (no evidence: waited out the silence)");
		this.state.hold();
	}

	void switchover() {
		SampleInstance from = this.state.primary;
		this.console.step(6, DemoRun.STEPS,
				"Graceful switchover: POST /actuator/failover {\"action\":\"step-down\"} to " + from.id());
		InstanceStatus before = from.status();
		Map<String, Long> positions = logPositions();
		Map<String, Long> writes = this.state.writesNow();
		StepDownResult answer;
		Promotion promotion;
		// watching before the request: the handover may complete before the answer arrives
		try (PromotionWatch watch = this.state.cluster.watchForPromotion(before.epoch())) {
			try {
				answer = from.stepDown();
			}
			catch (IllegalStateException ex) {
				throw new CheckFailed("the step-down request failed: " + ex.getMessage(), ex);
			}
			promotion = awaitPromotion(watch, answer.sentNanos(), Duration.ofSeconds(10), "after the request");
		}
		if (answer.outcome() == null || !answer.outcome().startsWith("stepped down")) {
			throw new CheckFailed(from.id() + " answered the step-down with: " + answer.outcome());
		}
		SampleInstance successor = promotion.instance();
		Duration handover = promotion.since(answer.sentNanos());
		this.console.line(from.id() + " answered in " + Format.duration(answer.took()) + ": \"" + answer.outcome() + "\"");
		this.console.line(successor.id() + " is primary at epoch " + promotion.epoch() + ": first seen "
				+ Format.duration(handover) + " after the request was sent");
		Optional<String> own = ownPromotionTime(promotion, positions);
		own.ifPresent((time) -> this.console.line(successor.id() + "'s own log: promoted " + time + " after reading "
				+ from.id() + "'s handover notice"));
		// the request's time includes the first write request this instance's web stack handles;
		// the handover itself runs from when the old primary stopped acting to the promotion
		Optional<Duration> stoppedToPromoted = roleLogHandover(from, before.epoch(), successor, promotion.epoch());
		stoppedToPromoted.ifPresent((took) -> this.console.line("role logs: " + successor.id() + " was primary "
				+ Format.duration(took) + " after " + from.id() + " stopped acting"));
		if (handover.compareTo(this.state.heartbeatTimeout) >= 0) {
			throw new CheckFailed("the handover took " + Format.duration(handover) + ", not less than the heartbeat "
					+ "timeout (" + Format.duration(this.state.heartbeatTimeout) + "): the successor waited out the "
					+ "silence instead of acting on the handover notice");
		}
		takeOver(successor, promotion, writes);
		this.state.record("graceful switchover", from.id() + " -> " + successor.id() + ", epoch " + promotion.epoch(),
				stoppedToPromoted.map((took) -> Format.duration(took) + " stopped -> primary; ").orElse("")
						+ "seen " + Format.duration(handover) + " after the request (answered in "
						+ Format.duration(answer.took()) + ")");
		this.state.hold();
	}

	/**
	 * Reads, from the two instances' role logs, the time from the old primary's demotion (when
	 * it stopped acting) to the successor's promotion; empty if either line is missing after
	 * two seconds (the logs are written by event listeners, shortly after the change).
	 */
	private Optional<Duration> roleLogHandover(SampleInstance from, long fromEpoch, SampleInstance to, long toEpoch) {
		if (from.roleLogFile().isEmpty() || to.roleLogFile().isEmpty()) {
			return Optional.empty();
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		while (true) {
			Optional<RoleLogEntry> demotion = RoleLogs.demotion(from, fromEpoch);
			Optional<RoleLogEntry> promotion = RoleLogs.promotion(to, toEpoch);
			if (demotion.isPresent() && promotion.isPresent()) {
				return Optional.of(Duration.between(demotion.get().at(), promotion.get().at()));
			}
			if (System.nanoTime() - deadline > 0) {
				return Optional.empty();
			}
			Sleeps.sleep(Duration.ofMillis(20));
		}
	}

	/** Returns why an instance was promoted to an epoch, as its role log says (waiting for the line). */
	private static String awaitCause(SampleInstance instance, long epoch) {
		long deadline = System.nanoTime() + LOG_WAIT.toNanos();
		while (System.nanoTime() - deadline < 0) {
			Optional<RoleLogEntry> promotion = RoleLogs.promotion(instance, epoch);
			if (promotion.isPresent()) {
				return promotion.get().cause();
			}
			Sleeps.sleep(Duration.ofMillis(20));
		}
		return "a reason its role log does not give";
	}

	/** Checks that the group agrees on the new primary and that its primary-only job runs. */
	private void takeOver(SampleInstance successor, Promotion promotion, Map<String, Long> writesBefore) {
		this.state.settleOn(successor);
		long writes = this.state.awaitWrites(successor, writesBefore.getOrDefault(successor.id(), 0L));
		this.console.line(successor.id() + " took over the ledger: " + Format.records(writes) + " committed so far");
		this.state.table("now", this.state.cluster.snapshot());
		this.state.primaries.put(promotion.epoch(), successor.id());
		this.state.primary = successor;
	}

	private Promotion awaitPromotion(PromotionWatch watch, long since, Duration deadline, String after) {
		long nextTable = System.nanoTime() + TABLE_EVERY.toNanos();
		while (watch.poll().isEmpty()) {
			if (System.nanoTime() - since > deadline.toNanos()) {
				throw new CheckFailed("no new primary within " + Format.duration(deadline) + " " + after
						+ "; the instances reported:\n" + this.state.cluster.snapshot().describe());
			}
			if (!this.state.options.quick() && System.nanoTime() - nextTable > 0) {
				this.state.table(Format.nanosSince(since) + " " + after, this.state.cluster.snapshot());
				nextTable = System.nanoTime() + TABLE_EVERY.toNanos();
			}
			Sleeps.sleep(Duration.ofMillis(5));
		}
		return watch.poll().orElseThrow();
	}

	private Map<String, Long> logPositions() {
		Map<String, Long> positions = new LinkedHashMap<>();
		this.state.cluster.instances().forEach((instance) -> positions.put(instance.id(), instance.logPosition()));
		return positions;
	}

	/** The successor's own measurement, from its log line; missing if the line's format changed. */
	private Optional<String> ownPromotionTime(Promotion promotion, Map<String, Long> positions) {
		SampleInstance successor = promotion.instance();
		try {
			PromotionLogLine line = successor.awaitPromotionLine(positions.getOrDefault(successor.id(), 0L),
					promotion.epoch(), LOG_WAIT);
			return line.sinceLastSignOfLife().map(Format::duration);
		}
		catch (IllegalStateException ex) {
			this.console.line("(" + successor.id() + "'s log has no promotion line for epoch " + promotion.epoch() + ")");
			return Optional.empty();
		}
	}

}
