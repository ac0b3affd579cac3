package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.failover.testkit.KafkaCluster;
import dev.failover.testkit.Parallel;
import dev.failover.testkit.TcpProxy;
import dev.failover.cluster.InstanceStatus;
import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleCluster;
import dev.failover.cluster.SampleClusterBuilder;
import dev.failover.cluster.SampleInstance;

/**
 * One scenario's running cluster, with the fault operations a scenario uses and the record
 * the checker needs: every process start and end, every recovery measured, every check.
 * <p>
 * Every operation that ends a process goes through here, so the checker knows when each
 * process died. Operations return the instant the fault was injected, taken just before the
 * signal or the cut: recovery times measured from it err long, never short.
 */
final class FaultRun {

	/** How long to wait for anything the protocol should do in seconds: generous, as tests must be. */
	static final Duration SETTLE = Duration.ofSeconds(60);

	private static final Duration START = Duration.ofSeconds(120);

	private static final Duration STOP = Duration.ofSeconds(30);

	private final String name;

	private final SampleCluster cluster;

	private final SuiteSettings settings;

	private final ProcessHistory history = new ProcessHistory();

	private final List<Check> checks = new ArrayList<>();

	private final List<Recovery> recoveries = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private Duration interval;

	private Duration timeout;

	private FaultRun(String name, SampleCluster cluster, SuiteSettings settings) {
		this.name = name;
		this.cluster = cluster;
		this.settings = settings;
	}

	/**
	 * Starts the broker and the instances and waits until the group has one primary.
	 * @param name the scenario name
	 * @param builder the cluster, configured
	 * @param settings the suite settings
	 * @return the running scenario
	 * @throws IllegalStateException if the cluster does not start; everything started is stopped
	 */
	static FaultRun start(String name, SampleClusterBuilder builder, SuiteSettings settings) {
		return start(name, builder, settings, (cluster) -> {
		});
	}

	/**
	 * Starts the broker, prepares it (a topic the instances must find, say), then starts the
	 * instances and waits until the group has one primary.
	 * @param name the scenario name
	 * @param builder the cluster, configured
	 * @param settings the suite settings
	 * @param prepare what to do on the running brokers before any instance starts
	 * @return the running scenario
	 * @throws IllegalStateException if the cluster does not start; everything started is stopped
	 */
	static FaultRun start(String name, SampleClusterBuilder builder, SuiteSettings settings,
			java.util.function.Consumer<SampleCluster> prepare) {
		SampleCluster cluster = builder.startBroker();
		FaultRun run = new FaultRun(name, cluster, settings);
		try {
			prepare.accept(cluster);
			for (SampleInstance instance : cluster.instances()) {
				run.history.started(instance.id(), Instant.now());
			}
			cluster.startInstances();
			cluster.awaitHealthy(START);
			InstanceStatus status = cluster.instances().get(0).status();
			run.interval = status.heartbeatInterval();
			run.timeout = status.heartbeatTimeout();
			SampleInstance primary = cluster.awaitSinglePrimary(SETTLE);
			run.log("started " + cluster.instances().size() + " instances; '" + primary.id() + "' is primary at epoch "
					+ primary.status().epoch());
			return run;
		}
		catch (RuntimeException ex) {
			cluster.keepWorkDir(true);
			cluster.close();
			throw new IllegalStateException("the cluster did not start: " + ex.getMessage() + " (logs kept in "
					+ cluster.workDir() + ")", ex);
		}
	}

	SampleCluster cluster() {
		return this.cluster;
	}

	/**
	 * Returns the brokers of a scenario that runs on several.
	 * @return the cluster
	 */
	KafkaCluster kafka() {
		return this.cluster.kafkaCluster();
	}

	/**
	 * Returns the primary intervals so far, from the role logs and the process history, as
	 * the final check will build them; intervals still open end now.
	 * @return the intervals, by start
	 */
	List<PrimaryInterval> primaryIntervals() {
		Map<String, List<RoleLogEntry>> logs = new LinkedHashMap<>();
		for (SampleInstance instance : instances()) {
			logs.put(instance.id(), RoleLogs.of(instance));
		}
		return IntervalCheck.of(logs, this.history, Instant.now()).intervals();
	}

	List<SampleInstance> instances() {
		return this.cluster.instances();
	}

	Duration interval() {
		return this.interval;
	}

	Duration timeout() {
		return this.timeout;
	}

	/**
	 * Returns the longest a group may go without a primary after a recoverable fault:
	 * one heartbeat timeout plus two intervals.
	 * @return the bound
	 */
	Duration recoveryBound() {
		return this.timeout.plus(this.interval.multipliedBy(2));
	}

	void log(String line) {
		this.settings.log(this.name, line);
	}

	/**
	 * Waits until the group agrees on one primary.
	 * @return the primary
	 */
	SampleInstance awaitPrimary() {
		return this.cluster.awaitSinglePrimary(SETTLE);
	}

	/**
	 * Returns the instances other than some.
	 * @param excluded the instances to leave out
	 * @return the others, in order
	 */
	List<SampleInstance> others(SampleInstance... excluded) {
		List<SampleInstance> others = new ArrayList<>(instances());
		others.removeAll(List.of(excluded));
		return others;
	}

	/**
	 * Waits until an instance commits new ledger records: its primary-only job runs. (The
	 * sample counts writes per process, so an instance promoted again must write anew.)
	 * @param instance the primary
	 */
	void awaitLedgerProgress(SampleInstance instance) {
		long written = instance.ledgerWrites();
		instance.awaitLedgerWrites(written + 2, SETTLE);
	}

	/**
	 * Kills instances with SIGKILL, all at once.
	 * @param victims the instances
	 * @return the instant just before the first signal
	 */
	Instant kill(SampleInstance... victims) {
		Instant at = Instant.now();
		Parallel.forEach(List.of(victims), (victim) -> {
			victim.kill();
			this.history.ended(victim.id(), Instant.now(), ProcessHistory.Ending.KILLED);
		});
		log("kill -9 " + ids(victims));
		return at;
	}

	/**
	 * Stops an instance gracefully with SIGTERM and waits for it to exit.
	 * @param instance the instance
	 * @return the instant just before the signal
	 */
	Instant terminate(SampleInstance instance) {
		Instant at = Instant.now();
		boolean graceful = instance.terminate(STOP);
		this.history.ended(instance.id(), Instant.now(), ProcessHistory.Ending.TERMINATED);
		if (!graceful) {
			check("graceful stop of '" + instance.id() + "'", false, "did not exit within " + STOP.toSeconds()
					+ " s of SIGTERM and was killed");
		}
		log("stopped '" + instance.id() + "' (SIGTERM) in " + Duration.between(at, Instant.now()).toMillis() + " ms");
		return at;
	}

	/**
	 * Starts an instance that is not running and waits until it reads the log.
	 * @param instance the instance
	 * @return the instant just before the start
	 */
	Instant start(SampleInstance instance) {
		Instant at = Instant.now();
		this.history.started(instance.id(), at);
		instance.start();
		instance.awaitHealthy(START);
		log("started '" + instance.id() + "' again");
		return at;
	}

	Instant pause(SampleInstance instance) {
		Instant at = Instant.now();
		instance.pause();
		log("SIGSTOP '" + instance.id() + "'");
		return at;
	}

	Instant resume(SampleInstance instance) {
		Instant at = Instant.now();
		instance.resume();
		log("SIGCONT '" + instance.id() + "'");
		return at;
	}

	Instant cut(SampleInstance instance, TcpProxy.Mode mode) {
		Instant at = Instant.now();
		this.cluster.cut(instance, mode);
		log("cut '" + instance.id() + "' off the broker (" + mode + ")");
		return at;
	}

	Instant heal(SampleInstance instance) {
		Instant at = Instant.now();
		this.cluster.heal(instance);
		log("healed the cut of '" + instance.id() + "'");
		return at;
	}

	/**
	 * Waits for the first promotion above an epoch, records how long the group was without
	 * a primary, and waits until every live instance agrees on the new one.
	 * @param fault what happened
	 * @param measuredFrom what {@code from} is, in words
	 * @param from the instant recovery became possible
	 * @param epochBefore the epoch before the fault
	 * @return the recovery
	 */
	Recovery expectPromotion(String fault, String measuredFrom, Instant from, long epochBefore) {
		RoleLogEntry promotion = RoleLogs.awaitPromotionAbove(instances(), epochBefore, SETTLE);
		Recovery recovery = new Recovery(fault, measuredFrom, RoleLogs.since(from, promotion), recoveryBound(),
				promotion.instanceId(), promotion.epoch());
		this.recoveries.add(recovery);
		log(recovery.toString());
		awaitPrimary();
		return recovery;
	}

	/**
	 * Records a recovery measured by the scenario itself, judged against the bound like the others.
	 * @param recovery the recovery
	 */
	void recovered(Recovery recovery) {
		this.recoveries.add(recovery);
		log(recovery.toString());
	}

	/**
	 * Records that a fault needed no failover, and checks that the primary kept its role.
	 * @param fault what happened
	 * @param primary the primary before the fault
	 * @param epoch its epoch
	 * @param roleChangesBefore the number of role-log entries before the fault
	 */
	void expectPrimaryKept(String fault, SampleInstance primary, long epoch, int roleChangesBefore) {
		SampleInstance now = awaitPrimary();
		int roleChanges = RoleLogs.count(instances());
		boolean kept = now == primary && primary.status().epoch() == epoch && roleChanges == roleChangesBefore;
		check("no role change after " + fault, kept, kept ? "'" + primary.id() + "' still primary at epoch " + epoch
				: "primary now '" + now.id() + "' at epoch " + now.status().epoch() + ", " + (roleChanges - roleChangesBefore)
						+ " role changes logged");
		this.recoveries.add(new Recovery(fault, "-", null, recoveryBound(), primary.id(), epoch));
	}

	/**
	 * Records an observation for the summary.
	 * @param note the observation
	 */
	void note(String note) {
		this.notes.add(note);
		log(note);
	}

	/**
	 * Records a check.
	 * @param name what was checked
	 * @param passed whether it held
	 * @param detail what was seen
	 */
	void check(String name, boolean passed, String detail) {
		this.checks.add(Check.of(name, passed, detail));
		if (!passed) {
			log("FAILED " + name + ": " + detail);
		}
	}

	/**
	 * Stops every instance and checks the role logs, the ledger and the processes; then
	 * closes the cluster, keeping its work directory if anything failed.
	 * @param error what aborted the scenario, or {@code null}
	 * @param startedNanos {@link System#nanoTime()} when the scenario started
	 * @return the result
	 */
	ScenarioResult finish(Throwable error, long startedNanos) {
		RunVerifier verifier = new RunVerifier(this.cluster, this.history, this.checks);
		try {
			verifier.stopAndVerify();
		}
		catch (RuntimeException ex) {
			error = (error != null) ? error : ex;
		}
		ScenarioResult preliminary = new ScenarioResult(this.name, this.checks, this.recoveries, this.notes, verifier.smallestGap(),
				Duration.ZERO, error, null);
		boolean keep = !preliminary.passed() || this.settings.keepWorkDirs();
		this.cluster.keepWorkDir(keep);
		this.cluster.close();
		return new ScenarioResult(this.name, this.checks, this.recoveries, this.notes, verifier.smallestGap(),
				Duration.ofNanos(System.nanoTime() - startedNanos), error, keep ? this.cluster.workDir() : null);
	}

	static String ids(SampleInstance... instances) {
		List<String> ids = new ArrayList<>();
		for (SampleInstance instance : instances) {
			ids.add("'" + instance.id() + "'");
		}
		return String.join(" and ", ids);
	}

}
