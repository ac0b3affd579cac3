package dev.failover.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import dev.failover.testkit.Sleeps;
import dev.failover.cluster.InstanceStatus;
import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleCluster;
import dev.failover.cluster.SampleInstance;
import dev.failover.cluster.StepDownResult;

/**
 * Graceful handover: the primary leaves on purpose and names a successor, which is primary
 * as soon as it reads the notice.
 * <p>
 * Two ways in, each timed from the harness's clock just before the request to the
 * successor's promotion as the successor dated it (role log), and split at the old
 * primary's demotion as the old primary dated it:
 * <ul>
 * <li>{@code SIGTERM} to the primary's process: Spring's graceful shutdown, whose failover
 * lifecycle stops first and hands over; the instance is restarted after each run. Two
 * series: in a settled group, where every instance has run for a minute or more (what an
 * operator stopping the primary of a running service meets), and right after a restart,
 * where the successor is usually the instance restarted in the run before, started seconds
 * earlier, and the primary the one restarted the run before that (a rolling restart: both
 * JVMs still interpret much of the Kafka client and compile it as the handover runs); each
 * run's line gives the successor's uptime;</li>
 * <li>{@code POST /actuator/failover {"action":"step-down"}}: a switchover, in a settled group.</li>
 * </ul>
 * The requests are spread evenly over the primary's heartbeat cycle ({@link CyclePhases}).
 */
final class HandoverBench {

	private static final Duration QUIET = Duration.ofSeconds(2);

	private static final Duration BETWEEN_SWITCHOVERS = Duration.ofMillis(1500);

	/** How long every instance has run before a run of the settled series. */
	static final Duration SETTLED_UPTIME = Duration.ofSeconds(60);

	/** How the settled series name their condition. */
	static final String SETTLED = "every instance up " + SETTLED_UPTIME.toSeconds() + " s or more";

	private final SampleCluster cluster;

	private final PrintStream out;

	HandoverBench(SampleCluster cluster, PrintStream out) {
		this.cluster = cluster;
		this.out = out;
	}

	/**
	 * Times graceful shutdowns (SIGTERM) of the primary in a settled group: each run starts
	 * once every instance has run for {@link #SETTLED_UPTIME}.
	 * @param runs how many
	 * @return the total, then its parts
	 */
	List<Timing> sigtermSettled(int runs) {
		return sigterm(runs, "graceful shutdown (SIGTERM to the primary), " + SETTLED, true);
	}

	/**
	 * Times graceful shutdowns (SIGTERM) of the primary as a rolling restart meets them: each
	 * run starts two seconds after the previous run's instance was restarted and the group
	 * settled, and that instance is usually the successor.
	 * @param runs how many
	 * @return the total, then its parts
	 */
	List<Timing> sigtermAfterRestart(int runs) {
		return sigterm(runs, "graceful shutdown right after a restart (SIGTERM to the primary; the successor "
				+ "usually started seconds before)", false);
	}

	private List<Timing> sigterm(int runs, String name, boolean settled) {
		Timing total = Timing.of(name, "just before SIGTERM is sent",
				"the successor's promotion, dated by the successor (role log)");
		Timing stop = Timing.of("  of which: until the old primary stopped acting", "just before SIGTERM is sent",
				"the old primary's demotion, dated by it (role log)");
		Phases phases = new Phases(name);
		CyclePhases cycle = CyclePhases.stratified(runs, BenchClusters.heartbeatInterval(this.cluster), new Random());
		for (int run = 1; run <= runs; run++) {
			if (settled) {
				awaitUptime(SETTLED_UPTIME);
			}
			SampleInstance primary = this.cluster.awaitSinglePrimary(BenchClusters.SETTLE);
			InstanceStatus status = primary.status();
			long epoch = status.epoch();
			cycle.awaitNext(status);
			Instant sent = Instant.now();
			primary.terminate(Duration.ofSeconds(30));
			record(run, runs, "SIGTERM to", primary, epoch, sent, total, stop, phases);
			BenchClusters.restart(this.cluster, primary, QUIET);
		}
		return List.of(total, phases.heard, phases.listener, stop, phases.announced, phases.passed, phases.appended);
	}

	/**
	 * Waits until every running instance's process has run for at least the given time,
	 * counted from the process's start (the JVM's and Spring's start-up included, about 5 s).
	 */
	private void awaitUptime(Duration uptime) {
		Map<String, Optional<Instant>> starts = new LinkedHashMap<>();
		for (SampleInstance instance : this.cluster.instances()) {
			starts.put(instance.id(), startedAt(instance));
		}
		Sleeps.sleep(uptimeWait(starts, uptime, Instant.now()));
	}

	/**
	 * How long to wait until every instance has run for the given time: until the youngest
	 * has, counted from its process's start; zero if all have already.
	 * @param starts each instance's process start, empty if the operating system cannot tell
	 * @param uptime the uptime every instance must reach
	 * @param now the current time
	 * @return the wait, never negative
	 * @throws IllegalStateException if an instance's start is unknown
	 */
	static Duration uptimeWait(Map<String, Optional<Instant>> starts, Duration uptime, Instant now) {
		Instant youngest = Instant.EPOCH;
		for (Map.Entry<String, Optional<Instant>> start : starts.entrySet()) {
			Instant started = start.getValue().orElseThrow(() -> new IllegalStateException(
					"cannot tell when '" + start.getKey() + "' started, so not whether the group has settled"));
			if (started.isAfter(youngest)) {
				youngest = started;
			}
		}
		Duration wait = Duration.between(now, youngest.plus(uptime));
		return wait.isNegative() ? Duration.ZERO : wait;
	}

	private static Optional<Instant> startedAt(SampleInstance instance) {
		return instance.process()
			.flatMap((process) -> ProcessHandle.of(process.pid()))
			.flatMap((handle) -> handle.info().startInstant());
	}

	/**
	 * Times switchovers through the endpoint in a settled group, as an operator switching the
	 * primary of a running service meets them: the first run starts once every instance has run
	 * for {@link #SETTLED_UPTIME} (a switchover restarts none, so the group stays settled).
	 * @param runs how many
	 * @return the total, then its two parts, then the time until the POST was answered
	 */
	List<Timing> switchover(int runs) {
		awaitUptime(SETTLED_UPTIME);
		Timing total = Timing.of("switchover (POST step-down to the primary), " + SETTLED,
				"just before the POST is sent",
				"the successor's promotion, dated by the successor (role log)");
		Timing stop = Timing.of("  of which: until the old primary stopped acting", "just before the POST is sent",
				"the old primary's demotion, dated by it (role log)");
		Phases phases = new Phases(total.name());
		CyclePhases cycle = CyclePhases.stratified(runs, BenchClusters.heartbeatInterval(this.cluster), new Random());
		Timing answered = Timing.of("  the POST's answer (handover acknowledged)", "just before the POST is sent",
				"the complete HTTP answer");
		for (int run = 1; run <= runs; run++) {
			SampleInstance primary = this.cluster.awaitSinglePrimary(BenchClusters.SETTLE);
			InstanceStatus status = primary.status();
			long epoch = status.epoch();
			cycle.awaitNext(status);
			Instant sent = Instant.now();
			StepDownResult answer = primary.stepDown();
			answered.samples().add(answer.took());
			record(run, runs, "POST step-down to", primary, epoch, sent, total, stop, phases);
			Sleeps.sleep(BETWEEN_SWITCHOVERS);
		}
		return List.of(total, phases.heard, phases.listener, stop, phases.announced, phases.passed, phases.appended,
				answered);
	}

	private void record(int run, int runs, String what, SampleInstance primary, long epoch, Instant sent, Timing total,
			Timing stop, Phases phases) {
		RoleLogEntry promotion = RoleLogs.awaitPromotionAbove(this.cluster.instances(), epoch, BenchClusters.SETTLE);
		RoleLogEntry demotion = RoleLogs.demotion(primary, epoch)
			.orElseThrow(() -> new IllegalStateException("'" + primary.id() + "' logged no demotion at epoch " + epoch));
		Notice notice = Notice.find(this.cluster.bootstrapServers(), primary.id(), epoch);
		total.samples().add(Duration.between(sent, promotion.at()));
		stop.samples().add(Duration.between(sent, demotion.at()));
		phases.announced.samples().add(Duration.between(demotion.at(), notice.sentAt()));
		phases.passed.samples().add(Duration.between(notice.sentAt(), promotion.at()));
		phases.appended.samples().add(Duration.between(notice.sentAt(), notice.appendedAt()));
		if (promotion.heardAt() != null) {
			phases.heard.samples().add(Duration.between(sent, promotion.heardAt()));
			phases.listener.samples().add(Duration.between(promotion.at(), promotion.heardAt()));
		}
		String uptime = startedAt(this.cluster.instance(promotion.instanceId()))
			.map((started) -> Duration.between(started, sent).toSeconds() + " s")
			.orElse("unknown");
		this.out.printf("  run %d/%d: %s '%s': '%s' (up %s) primary after %s (stopped acting %s, notice written %s "
				+ "later, successor primary %s after that)%n", run, runs, what, primary.id(), promotion.instanceId(),
				uptime,
				Samples.format(Duration.between(sent, promotion.at())), Samples.format(Duration.between(sent, demotion.at())),
				Samples.format(Duration.between(demotion.at(), notice.sentAt())),
				Samples.format(Duration.between(notice.sentAt(), promotion.at())));
	}

	/** The parts of a handover after the old primary stopped acting, split at its shutdown notice. */
	private static final class Phases {

		final Timing heard;

		Phases(String name) {
			this.heard = Timing.of(name + ", as the successor's @EventListener hears it", "the same moment",
					"the successor's RoleChangedEvent listener runs (role log's heardAt)");
		}

		final Timing listener = Timing.of("  of which: promotion to the listener", "the successor's promotion",
				"its RoleChangedEvent listener runs: callback thread, Spring's event multicaster");

		final Timing announced = Timing.of("  of which: stopped acting to notice written",
				"the old primary's demotion (role log)",
				"the notice's sentAt: the old primary built it for the transport, after its demotion listeners ran");

		final Timing passed = Timing.of("  of which: notice written to successor primary", "the notice's sentAt",
				"the successor's promotion (role log): producer, broker, successor's fetch and event loop");

		final Timing appended = Timing.of("  (notice written to appended by the broker, ms resolution)",
				"the notice's sentAt", "the record's LogAppendTime on the topic");

	}

}
