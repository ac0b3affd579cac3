package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleInstance;

/**
 * The broker crashes and comes back, with or without the primary dying meanwhile.
 * <p>
 * While the broker is down nobody can read the log, so nobody may be promoted; the primary
 * cannot renew its lease and steps down on its own. Once the broker is back the group elects
 * again. The broker stays dead for two heartbeat timeouts, then restarts (which takes about
 * 13 s after a crash: the controller waits out the killed incarnation's session). Recovery is
 * measured from the moment the restarted broker reports that it started, which is when
 * recovery becomes possible.
 */
final class BrokerScenarios {

	private BrokerScenarios() {
	}

	static Scenario brokerRestart() {
		return ClusterScenario.of("broker-restart",
				"SIGKILL the broker, restart it: no promotion while it is down, the primary's lease lapses, one primary after",
				(run) -> brokerRestart(run, false));
	}

	static Scenario brokerRestartPrimaryDies() {
		return ClusterScenario.of("broker-restart-primary-dies",
				"SIGKILL the broker, then the primary, restart the broker: a secondary takes over",
				(run) -> brokerRestart(run, true));
	}

	private static void brokerRestart(FaultRun run, boolean primaryDies) throws InterruptedException {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		Instant brokerKilled = Instant.now();
		run.cluster().broker().kill();
		run.log("kill -9 of the broker");
		if (primaryDies) {
			// a moment later: the primary dies while nobody can hear it
			Thread.sleep(run.interval().toMillis());
			run.kill(primary);
		}
		// down for two timeouts: far longer than the primary's lease
		Thread.sleep(Math.max(0, brokerKilled.plus(run.timeout().multipliedBy(2)).toEpochMilli()
				- Instant.now().toEpochMilli()));
		Instant restarting = Instant.now();
		run.cluster().broker().restart();
		Instant ready = Instant.now();
		run.log("restarted the broker after " + Duration.between(brokerKilled, restarting).toMillis()
				+ " ms down; it took " + Duration.between(restarting, ready).toMillis() + " ms to start");
		List<RoleLogEntry> whileDown = RoleLogs.all(run.instances())
			.stream()
			.filter((entry) -> entry.isPromotion() && entry.at().isAfter(brokerKilled) && entry.at().isBefore(restarting))
			.toList();
		run.check("no promotion while the broker was down", whileDown.isEmpty(),
				whileDown.isEmpty() ? "none" : whileDown.toString());
		if (!primaryDies) {
			run.check("the primary's lease lapsed during the outage", RoleLogs.demotion(primary, epoch)
				.filter((entry) -> entry.at().isBefore(restarting))
				.isPresent(), RoleLogs.demotion(primary, epoch).map(Object::toString).orElse("no demotion logged"));
		}
		Recovery recovery = run.expectPromotion(primaryDies ? "broker restart after the primary died"
				: "broker restart", "the broker's restart", ready, epoch);
		SampleInstance successor = run.cluster().instance(recovery.successor());
		if (primaryDies) {
			run.check("a secondary took over", successor != primary, "'" + successor.id() + "' is primary");
		}
		run.awaitLedgerProgress(successor);
		for (SampleInstance instance : run.others(successor)) {
			CrashScenarios.rejoin(run, instance, successor);
		}
	}

}
