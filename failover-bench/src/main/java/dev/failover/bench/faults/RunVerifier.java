package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.failover.cluster.LedgerReport;
import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleCluster;
import dev.failover.cluster.SampleInstance;

/**
 * The checks every scenario ends with: no process died unasked, the instances stop
 * gracefully, never two primaries at once, epochs only go up, and the ledger holds no write
 * of a deposed primary after its successor's first.
 * <p>
 * The instances are stopped before the checks, so that every role log is complete (a
 * primary that stops logs its demotion) and the ledger no longer grows; the broker stays up
 * until the ledger has been read.
 */
final class RunVerifier {

	private static final Duration STOP = Duration.ofSeconds(30);

	private final SampleCluster cluster;

	private final ProcessHistory history;

	private final List<Check> checks;

	private Optional<Duration> smallestGap = Optional.empty();

	RunVerifier(SampleCluster cluster, ProcessHistory history, List<Check> checks) {
		this.cluster = cluster;
		this.history = history;
		this.checks = checks;
	}

	/**
	 * Stops every instance and makes the checks, adding them to the list given.
	 */
	void stopAndVerify() {
		checkNoCrash();
		stopAll();
		checkIntervals();
		checkLedger();
	}

	Optional<Duration> smallestGap() {
		return this.smallestGap;
	}

	private void checkNoCrash() {
		List<String> crashed = new ArrayList<>();
		for (SampleInstance instance : this.cluster.instances()) {
			if (!instance.isAlive() && !this.history.hasEnded(instance.id())) {
				crashed.add("'" + instance.id() + "' exited with code "
						+ instance.process().flatMap((process) -> {
							java.util.OptionalInt code = process.exitCode();
							return code.isPresent() ? Optional.of(code.getAsInt()) : Optional.empty();
						}).orElse(-1));
				this.history.ended(instance.id(), Instant.now(), ProcessHistory.Ending.UNEXPECTED);
			}
		}
		this.checks.add(Check.of("no process died unasked", crashed.isEmpty(),
				crashed.isEmpty() ? "every exit was a fault the harness injected" : String.join("; ", crashed)));
	}

	private void stopAll() {
		List<Thread> stoppers = new ArrayList<>();
		List<String> slow = java.util.Collections.synchronizedList(new ArrayList<>());
		for (SampleInstance instance : this.cluster.instances()) {
			if (!instance.isAlive()) {
				continue;
			}
			Thread stopper = new Thread(() -> {
				boolean graceful = instance.terminate(STOP);
				this.history.ended(instance.id(), Instant.now(), ProcessHistory.Ending.TERMINATED);
				if (!graceful) {
					slow.add(instance.id());
				}
			}, "stop-" + instance.id());
			stopper.start();
			stoppers.add(stopper);
		}
		for (Thread stopper : stoppers) {
			try {
				stopper.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while stopping the instances", ex);
			}
		}
		this.checks.add(Check.of("graceful stop at the end", slow.isEmpty(),
				slow.isEmpty() ? "every instance exited on SIGTERM" : "killed after " + STOP.toSeconds() + " s: " + slow));
	}

	private void checkIntervals() {
		Map<String, List<RoleLogEntry>> logs = new LinkedHashMap<>();
		for (SampleInstance instance : this.cluster.instances()) {
			logs.put(instance.id(), RoleLogs.of(instance));
		}
		IntervalCheck check = IntervalCheck.of(logs, this.history, Instant.now());
		this.smallestGap = check.smallestGap();
		List<String> violations = check.violations();
		this.checks.add(Check.of("one primary at a time, epochs rising", violations.isEmpty(),
				violations.isEmpty() ? check.intervals().size() + " primary intervals, none overlapping"
						+ check.smallestGap().map((gap) -> ", smallest gap " + gap.toNanos() / 1000 + " us").orElse("")
						: String.join("; ", violations)));
	}

	private void checkLedger() {
		LedgerReport ledger = this.cluster.checkLedger();
		this.checks.add(Check.of("ledger: no write of a deposed primary", ledger.ok(),
				ledger.ok() ? ledger.describe() : ledger.describe() + ": " + String.join("; ", ledger.violations())));
	}

}
