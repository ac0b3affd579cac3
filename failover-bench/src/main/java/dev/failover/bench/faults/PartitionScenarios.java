package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;

import dev.failover.testkit.TcpProxy;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleInstance;

/**
 * One instance partitioned from the broker by its TCP proxy, in blackhole mode (a hung
 * network: nothing moves, nobody is told), while the others keep the broker.
 */
final class PartitionScenarios {

	private PartitionScenarios() {
	}

	static Scenario cutPrimary() {
		return ClusterScenario.of("cut-primary",
				"cut the primary off the broker: it steps down, a secondary takes over; healed, it rejoins as secondary",
				PartitionScenarios::cutPrimary);
	}

	static Scenario cutSecondary() {
		return ClusterScenario.of("cut-secondary",
				"cut a secondary off the broker for two timeouts: nothing changes; healed, it follows again",
				PartitionScenarios::cutSecondary);
	}

	private static void cutPrimary(FaultRun run) {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		Instant cut = run.cut(primary, TcpProxy.Mode.BLACKHOLE);
		Recovery recovery = run.expectPromotion("primary '" + primary.id() + "' cut off", "the cut", cut, epoch);
		SampleInstance successor = run.cluster().instance(recovery.successor());
		run.check("the cut primary stepped down", !primary.status().isPrimary() && RoleLogs.demotion(primary, epoch)
			.isPresent(), RoleLogs.demotion(primary, epoch).map(Object::toString).orElse("no demotion logged"));
		run.awaitLedgerProgress(successor);
		int roleChanges = RoleLogs.count(run.instances());
		Instant healed = run.heal(primary);
		CrashScenarios.rejoin(run, primary, successor);
		run.note("'" + primary.id() + "' followed '" + successor.id() + "' again "
				+ Duration.between(healed, Instant.now()).toMillis() + " ms after the heal (at most, by polling)");
		run.expectPrimaryKept("the heal", successor, recovery.epoch(), roleChanges);
	}

	private static void cutSecondary(FaultRun run) throws InterruptedException {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		SampleInstance secondary = run.others(primary).get(0);
		int roleChanges = RoleLogs.count(run.instances());
		run.cut(secondary, TcpProxy.Mode.BLACKHOLE);
		Thread.sleep(run.timeout().multipliedBy(2).toMillis());
		run.check("the cut secondary knows it is cut", !secondary.status().logReachable()
				&& !secondary.status().isPrimary(), "it reports " + secondary.status().role() + ", log "
						+ (secondary.status().logReachable() ? "reachable" : "unreachable"));
		run.expectPrimaryKept("secondary '" + secondary.id() + "' cut off", primary, epoch, roleChanges);
		run.heal(secondary);
		CrashScenarios.rejoin(run, secondary, primary);
		run.expectPrimaryKept("the heal", primary, epoch, roleChanges);
	}

}
