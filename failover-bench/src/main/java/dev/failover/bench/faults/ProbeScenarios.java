package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleClusterBuilder;
import dev.failover.cluster.SampleInstance;
import dev.failover.testkit.TcpProxy;

/**
 * The process probe on (fast crash detection): a killed primary is replaced on the evidence
 * of its closed endpoint; a paused primary, one cut off from the broker, and one that vanishes
 * like a host (frozen and cut off: nothing answers, nothing resets) give no evidence, and
 * nobody claims before the primary's silence has lasted a timeout. The probe endpoints are
 * reached directly on 127.0.0.1; the usual checker judges overlaps and the fenced ledger.
 */
final class ProbeScenarios {

	private ProbeScenarios() {
	}

	static List<Scenario> all() {
		return List.of(killPrimary(), pausePrimary(), cutPrimary(), vanishedHost());
	}

	static Scenario killPrimary() {
		return scenario("probe-kill-primary",
				"process probe on: SIGKILL the primary: a secondary takes over on the evidence of its closed endpoint",
				ProbeScenarios::killPrimary);
	}

	static Scenario pausePrimary() {
		return scenario("probe-pause-primary",
				"process probe on: SIGSTOP the primary for 2 x timeout: no evidence, nobody claims before the timeout",
				ProbeScenarios::pausePrimary);
	}

	static Scenario cutPrimary() {
		return scenario("probe-cut-primary",
				"process probe on: cut the primary off the broker: it lives, no evidence, nobody claims before the timeout",
				ProbeScenarios::cutPrimary);
	}

	static Scenario vanishedHost() {
		return scenario("probe-vanished-host",
				"process probe on: the primary frozen and cut off (a vanished host): no evidence, nobody claims before "
						+ "the timeout",
				ProbeScenarios::vanishedHost);
	}

	private static Scenario scenario(String name, String description, ClusterScenario.Exercise exercise) {
		return ClusterScenario.of(name, description, 3, ProbeScenarios::probeOn, exercise);
	}

	private static void probeOn(SampleClusterBuilder builder) {
		// a ledger write every 10 ms: a crash or pause almost always catches one in flight
		builder.appArgs(new String[] { "--failover.process-probe.enabled=true", "--failover.process-probe.host=127.0.0.1",
				"--sample.ledger.interval=10ms" });
	}

	private static void killPrimary(FaultRun run) {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		Instant killed = run.kill(primary);
		Recovery recovery = run.expectPromotion("kill -9 of primary '" + primary.id() + "' (probe on)", "the SIGKILL",
				killed, epoch);
		RoleLogEntry promotion = RoleLogs.awaitPromotionAbove(run.instances(), epoch, FaultRun.SETTLE);
		run.check("the successor took over on evidence, not silence", "PRIMARY_GONE".equals(promotion.cause()),
				"'" + promotion.instanceId() + "' promoted (" + promotion.cause() + ") "
						+ RoleLogs.since(killed, promotion).toMillis() + " ms after the SIGKILL");
		SampleInstance successor = run.cluster().instance(recovery.successor());
		run.awaitLedgerProgress(successor);
		CrashScenarios.rejoin(run, primary, successor);
	}

	private static void pausePrimary(FaultRun run) throws InterruptedException {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		Instant paused = run.pause(primary);
		Thread.sleep(run.timeout().multipliedBy(2).toMillis());
		run.resume(primary);
		expectNoEvidence(run, primary, epoch, "SIGSTOP", paused);
	}

	private static void cutPrimary(FaultRun run) {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		Instant cut = run.cut(primary, TcpProxy.Mode.BLACKHOLE);
		expectNoEvidence(run, primary, epoch, "cut off the broker", cut);
		run.heal(primary);
	}

	private static void vanishedHost(FaultRun run) throws InterruptedException {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		Instant cut = run.cut(primary, TcpProxy.Mode.BLACKHOLE);
		run.pause(primary);
		Thread.sleep(run.timeout().multipliedBy(2).toMillis());
		expectNoEvidence(run, primary, epoch, "frozen and cut off", cut);
		run.resume(primary);
		run.heal(primary);
	}

	/**
	 * Checks that the successor took over on the primary's silence, at least a timeout after
	 * the primary's last heartbeat (which it sent before the fault, at most an interval
	 * before), and that the old primary rejoins as secondary.
	 */
	private static void expectNoEvidence(FaultRun run, SampleInstance primary, long epoch, String fault, Instant from) {
		Recovery recovery = run.expectPromotion("primary '" + primary.id() + "' " + fault + " (probe on)",
				"the fault", from, epoch);
		RoleLogEntry promotion = RoleLogs.awaitPromotionAbove(run.instances(), epoch, FaultRun.SETTLE);
		Duration after = RoleLogs.since(from, promotion);
		Duration earliest = run.timeout().minus(run.interval());
		run.check("no claim before the timeout: no evidence from a live process",
				!"PRIMARY_GONE".equals(promotion.cause()) && after.compareTo(earliest) >= 0,
				"'" + promotion.instanceId() + "' promoted (" + promotion.cause() + ") " + after.toMillis()
						+ " ms after the fault (earliest allowed " + earliest.toMillis() + " ms)");
		SampleInstance successor = run.cluster().instance(recovery.successor());
		run.awaitLedgerProgress(successor);
	}

}
