package dev.failover.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.failover.testkit.Sleeps;
import dev.failover.cluster.ClusterSnapshot;
import dev.failover.cluster.SampleCluster;
import dev.failover.cluster.SampleInstance;

/**
 * What the steps of one demo run share: the options, the output, the cluster, what has
 * been observed so far, and the waits and checks every step uses.
 */
final class DemoState {

	static final Duration START_DEADLINE = Duration.ofSeconds(120);

	private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(20);

	private static final Duration WRITE_DEADLINE = Duration.ofSeconds(20);

	final DemoOptions options;

	final Console console;

	final List<StepResult> results = new ArrayList<>();

	/** The primary of every epoch the demo saw, which the ledger must show as that epoch's writer. */
	final Map<Long, String> primaries = new TreeMap<>();

	volatile SampleCluster cluster;

	volatile Path workDir;

	SampleInstance primary;

	SampleInstance crashed;

	Duration heartbeatInterval = Duration.ofSeconds(1);

	Duration heartbeatTimeout = Duration.ofSeconds(3);

	DemoState(DemoOptions options, Console console) {
		this.options = options;
		this.console = console;
	}

	/** Waits until the group has settled, and checks that it settled on the expected primary. */
	void settleOn(SampleInstance expected) {
		SampleInstance settled = settle();
		if (settled != expected) {
			throw new CheckFailed("the group settled on " + settled.id() + ", but " + expected.id()
					+ " was the first new primary seen");
		}
	}

	SampleInstance settle() {
		try {
			return this.cluster.awaitSinglePrimary(SETTLE_DEADLINE);
		}
		catch (IllegalStateException ex) {
			throw new CheckFailed(ex.getMessage(), ex);
		}
	}

	/** Checks that the primary-only ledger job runs on a new primary. */
	long awaitWrites(SampleInstance writer) {
		return awaitWrites(writer, 0);
	}

	/**
	 * Waits until an instance has committed more ledger records than it had before (its
	 * count is per process, so an instance primary again in the same run must write again).
	 */
	long awaitWrites(SampleInstance writer, long before) {
		try {
			return writer.awaitLedgerWrites(before + 1, WRITE_DEADLINE);
		}
		catch (IllegalStateException ex) {
			throw new CheckFailed("the primary-only ledger job did not run on " + writer.id() + ": " + ex.getMessage(), ex);
		}
	}

	/** Returns every running instance's ledger count now (0 for one that does not answer). */
	Map<String, Long> writesNow() {
		Map<String, Long> counts = new HashMap<>();
		for (SampleInstance instance : this.cluster.instances()) {
			try {
				counts.put(instance.id(), instance.isAlive() ? instance.ledgerWrites() : 0L);
			}
			catch (RuntimeException ex) {
				counts.put(instance.id(), 0L);
			}
		}
		return counts;
	}

	/** In the full demo, lets the group run for a few seconds so the table shows heartbeats ticking. */
	void hold() {
		if (this.options.quick()) {
			return;
		}
		for (int i = 1; i <= 2; i++) {
			Sleeps.sleep(Duration.ofMillis(1500));
			table((i * 1.5) + " s later", this.cluster.snapshot());
		}
	}

	void table(String when, ClusterSnapshot snapshot) {
		this.console.line(this.console.dim(when + ":"));
		this.console.table(StatusTable.of(snapshot, this.console));
	}

	void record(String step, String result, String time) {
		this.results.add(new StepResult(step, StepResult.Outcome.OK, result, time));
	}

}
