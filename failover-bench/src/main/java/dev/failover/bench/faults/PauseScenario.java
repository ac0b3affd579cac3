package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.failover.bench.InstanceHttp;
import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleInstance;

/**
 * A long GC pause of the primary: SIGSTOP for two heartbeat timeouts, then SIGCONT.
 * <p>
 * The paused primary's lease ends during the pause, before any secondary may claim; a
 * secondary takes over; the old primary, on waking, must know at once that it is no longer
 * primary (its demotion is dated at its lease's end), and any ledger write it had in flight
 * must be rejected by Kafka (the successor's transactional producer fenced it), so the
 * ledger holds nothing of its epoch after the successor's first record.
 */
final class PauseScenario {

	private PauseScenario() {
	}

	static Scenario pausePrimary() {
		// a ledger write every 10 ms (not 200): the pause then almost always freezes one in flight
		return ClusterScenario.of("pause-primary",
				"SIGSTOP the primary for 2 x timeout, then SIGCONT: it steps down on its own, its late writes are fenced",
				3, (builder) -> builder.appArgs(new String[] { "--sample.ledger.interval=10ms" }),
				PauseScenario::pausePrimary);
	}

	private static void pausePrimary(FaultRun run) throws InterruptedException {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		Duration pause = run.timeout().multipliedBy(2);
		Instant paused = run.pause(primary);
		Thread.sleep(pause.toMillis());
		run.resume(primary);
		Recovery recovery = run.expectPromotion("SIGSTOP of primary '" + primary.id() + "' for " + pause.toMillis()
				+ " ms", "the SIGSTOP", paused, epoch);
		RoleLogEntry promotion = RoleLogs.awaitPromotionAbove(run.instances(), epoch, FaultRun.SETTLE);
		Optional<RoleLogEntry> demotion = awaitDemotion(primary, epoch);
		run.check("the paused primary stepped down by itself", demotion.isPresent()
				&& demotion.get().at().isBefore(promotion.at()),
				demotion.map((entry) -> "demoted (" + entry.cause() + ") as of " + entry.at() + ", "
						+ Duration.between(entry.at(), promotion.at()).toMillis() + " ms before '"
						+ promotion.instanceId() + "' was promoted")
					.orElse("no demotion logged"));
		run.check("the paused primary knew at once on waking", !primary.status().isPrimary(),
				"it reports " + primary.status().role() + " at epoch " + primary.status().epoch());
		SampleInstance successor = run.cluster().instance(recovery.successor());
		run.awaitLedgerProgress(successor);
		long fenced = InstanceHttp.fencedLedgerWrites(primary);
		run.note("ledger writes of '" + primary.id() + "' rejected by Kafka as fenced after waking: " + fenced
				+ " (only a write in flight when the pause began can be; the ledger check proves none got through)");
		CrashScenarios.rejoin(run, primary, successor);
	}

	private static Optional<RoleLogEntry> awaitDemotion(SampleInstance instance, long epoch)
			throws InterruptedException {
		long deadline = System.nanoTime() + FaultRun.SETTLE.toNanos();
		while (System.nanoTime() - deadline < 0) {
			Optional<RoleLogEntry> demotion = RoleLogs.demotion(instance, epoch);
			if (demotion.isPresent()) {
				return demotion;
			}
			Thread.sleep(20);
		}
		return Optional.empty();
	}

}
