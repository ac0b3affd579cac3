package dev.failover.bench.faults;

import java.time.Instant;

import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleInstance;

/**
 * Process crashes: SIGKILL of the primary, of a secondary, and of two instances at once.
 */
final class CrashScenarios {

	private CrashScenarios() {
	}

	static Scenario killPrimary() {
		return ClusterScenario.of("kill-primary",
				"SIGKILL the primary: a secondary takes over within the bound; the killed one rejoins as secondary",
				CrashScenarios::killPrimary);
	}

	static Scenario killSecondary() {
		return ClusterScenario.of("kill-secondary",
				"SIGKILL a secondary: nothing changes for two timeouts; it rejoins as secondary",
				CrashScenarios::killSecondary);
	}

	static Scenario killTwo() {
		return ClusterScenario.of("kill-two",
				"SIGKILL the primary and a secondary at once: the last one takes over; both rejoin",
				CrashScenarios::killTwo);
	}

	private static void killPrimary(FaultRun run) {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		Instant killed = run.kill(primary);
		Recovery recovery = run.expectPromotion("kill -9 of primary '" + primary.id() + "'", "the SIGKILL", killed,
				epoch);
		SampleInstance successor = run.cluster().instance(recovery.successor());
		run.awaitLedgerProgress(successor);
		rejoin(run, primary, successor);
	}

	private static void killSecondary(FaultRun run) throws InterruptedException {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		SampleInstance secondary = run.others(primary).get(0);
		int roleChanges = RoleLogs.count(run.instances());
		run.kill(secondary);
		// two timeouts: any wrongful reaction to the lost member would have happened by then
		Thread.sleep(run.timeout().multipliedBy(2).toMillis());
		run.expectPrimaryKept("kill -9 of secondary '" + secondary.id() + "'", primary, epoch, roleChanges);
		run.start(secondary);
		run.expectPrimaryKept("restart of secondary '" + secondary.id() + "'", primary, epoch, roleChanges);
	}

	private static void killTwo(FaultRun run) {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		SampleInstance secondary = run.others(primary).get(0);
		SampleInstance survivor = run.others(primary, secondary).get(0);
		Instant killed = run.kill(primary, secondary);
		Recovery recovery = run.expectPromotion("kill -9 of '" + primary.id() + "' (primary) and '" + secondary.id()
				+ "' at once", "the SIGKILLs", killed, epoch);
		run.check("the survivor took over", survivor.id().equals(recovery.successor()),
				"'" + recovery.successor() + "' is primary at epoch " + recovery.epoch());
		run.awaitLedgerProgress(survivor);
		run.start(primary);
		run.start(secondary);
		rejoin(run, primary, survivor);
		rejoin(run, secondary, survivor);
	}

	/** Checks that a restarted instance follows the current primary instead of taking over. */
	static void rejoin(FaultRun run, SampleInstance instance, SampleInstance primary) {
		if (!instance.isAlive()) {
			run.start(instance);
		}
		SampleInstance now = run.awaitPrimary();
		boolean follows = now == primary && !instance.status().isPrimary()
				&& instance.status().agreesWith(primary.status());
		run.check("'" + instance.id() + "' rejoined as secondary", follows,
				"primary is '" + now.id() + "' at epoch " + now.status().epoch() + "; '" + instance.id() + "' reports "
						+ instance.status().role() + " following '" + instance.status().primary().orElse("none") + "'");
	}

}
