package dev.failover.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.failover.cluster.InstanceStatus;
import dev.failover.cluster.Promotion;
import dev.failover.cluster.PromotionWatch;
import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleCluster;
import dev.failover.cluster.SampleInstance;

/**
 * Crash failover: SIGKILL of the primary, timed to the successor's promotion.
 * <p>
 * The clock starts just before the harness sends SIGKILL ({@link Instant#now()} in the
 * harness) and stops at the successor's promotion as the successor itself dated it in its
 * role log ({@link Instant#now()} in the successor when it became primary); all processes
 * share the machine's clock. Optionally a poller asks every instance for its role every
 * 10 ms as well, which gives the moment a client first sees the new primary (later by up to
 * one poll and a round trip). The kills are spread evenly over the primary's heartbeat cycle
 * ({@link CyclePhases}), and the killed instance is restarted and the group settled before
 * the next run.
 */
final class CrashBench {

	private static final Duration QUIET = Duration.ofSeconds(2);

	private final SampleCluster cluster;

	private final PrintStream out;

	private final String label;

	CrashBench(SampleCluster cluster, PrintStream out, String label) {
		this.cluster = cluster;
		this.out = out;
		this.label = label;
	}

	/**
	 * Runs the series.
	 * @param runs how many kills
	 * @param poller whether to time with the HTTP poller too (costs the instances CPU)
	 * @return the series: from the role log, then (with the poller) as polled, then the
	 * successor's own figure (from the last heartbeat it read)
	 */
	List<Timing> run(int runs, boolean poller) {
		Timing roleLog = Timing.of(this.label, "just before SIGKILL is sent to the primary",
				"the successor's promotion, dated by the successor (role log)");
		Timing polled = Timing.of(this.label + ", as a client polling every 10 ms sees it",
				"just before SIGKILL is sent to the primary", "the first answer of GET /actuator/failover naming the new primary");
		Timing own = Timing.of(this.label + ", the successor's own figure", "the last heartbeat the successor read",
				"its promotion (failover.promotion.duration)");
		CyclePhases phases = CyclePhases.stratified(runs, BenchClusters.heartbeatInterval(this.cluster), new Random());
		for (int run = 1; run <= runs; run++) {
			SampleInstance primary = this.cluster.awaitSinglePrimary(BenchClusters.SETTLE);
			InstanceStatus status = primary.status();
			long epoch = status.epoch();
			PromotionWatch watch = poller ? this.cluster.watchForPromotion(epoch) : null;
			try {
				Duration phase = phases.awaitNext(status);
				Instant killed = Instant.now();
				long killedNanos = System.nanoTime();
				primary.kill();
				RoleLogEntry promotion = RoleLogs.awaitPromotionAbove(this.cluster.instances(), epoch,
						BenchClusters.SETTLE);
				Duration took = RoleLogs.since(killed, promotion);
				roleLog.samples().add(took);
				own.samples().add(Duration.ofMillis(promotion.sinceLastHeartbeatMs()));
				String seen = "";
				if (watch != null) {
					Promotion first = watch.await(BenchClusters.SETTLE);
					polled.samples().add(first.since(killedNanos));
					seen = ", polled " + Samples.format(first.since(killedNanos));
				}
				this.out.printf(
						"  %s run %d/%d: '%s' killed %d ms into its heartbeat cycle, '%s' primary at epoch %d after %s%s "
								+ "(own: %d ms)%n",
						this.label, run, runs, primary.id(), phase.toMillis(), promotion.instanceId(), promotion.epoch(),
						Samples.format(took), seen, promotion.sinceLastHeartbeatMs());
			}
			finally {
				if (watch != null) {
					watch.close();
				}
			}
			BenchClusters.restart(this.cluster, primary, QUIET);
		}
		List<Timing> timings = new ArrayList<>(List.of(roleLog));
		if (poller) {
			timings.add(polled);
		}
		timings.add(own);
		return timings;
	}

}
