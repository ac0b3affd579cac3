package dev.failover.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.failover.testkit.TextTable;
import dev.failover.cluster.EpochSummary;
import dev.failover.cluster.LedgerReport;

/**
 * The demo's ledger check: every committed record the primaries wrote, checked with
 * {@link dev.failover.cluster.LedgerCheck}, and every primary the demo saw must
 * appear as the writer of its epoch.
 */
final class LedgerStep {

	private final DemoState state;

	private final Console console;

	LedgerStep(DemoState state) {
		this.state = state;
		this.console = state.console;
	}

	void checkLedger() {
		this.console.step(7, DemoRun.STEPS, "Ledger check: every committed record of "
				+ this.state.cluster.ledgerTopic() + " (read_committed)");
		long start = System.nanoTime();
		LedgerReport report = this.state.cluster.checkLedger();
		String took = Format.nanosSince(start);
		this.console.line("read " + report.records() + " records in " + took + ": " + report.writers().size() + " writers "
				+ report.writers() + ", " + report.epochs().size() + " epochs " + report.epochs());
		TextTable table = new TextTable("EPOCH", "WRITER", "RECORDS", "OFFSETS");
		for (EpochSummary epoch : report.perEpoch()) {
			table.row(String.valueOf(epoch.epoch()), epoch.writer(), String.valueOf(epoch.records()),
					epoch.firstOffset() + " to " + epoch.lastOffset());
		}
		this.console.table(table);
		List<String> missing = new ArrayList<>();
		this.state.primaries.forEach((epoch, id) -> {
			EpochSummary summary = report.epoch(epoch);
			if (summary == null || !summary.writer().equals(id)) {
				missing.add("epoch " + epoch + " should be written by " + id + ", found "
						+ ((summary != null) ? summary.writer() : "no record"));
			}
		});
		this.console.line(verdict(report.ok()) + "epochs never go down; each epoch has one writer; no record of a "
				+ "deposed primary after its successor's first");
		this.console.line(verdict(missing.isEmpty()) + "every primary the demo saw wrote under its own epoch: "
				+ this.state.primaries.entrySet()
					.stream()
					.map((entry) -> entry.getKey() + " " + entry.getValue())
					.collect(Collectors.joining(", ")));
		report.violations().stream().limit(10).forEach((violation) -> this.console.line(this.console.red(violation)));
		missing.forEach((problem) -> this.console.line(this.console.red(problem)));
		if (!report.ok() || !missing.isEmpty()) {
			throw new CheckFailed(report.violationCount() + " ledger violations, " + missing.size()
					+ " primaries without their records");
		}
		this.state.record("ledger check", report.records() + " records, " + report.writers().size() + " writers, "
				+ report.epochs().size() + " epochs, 0 violations", took);
	}

	private String verdict(boolean ok) {
		return ok ? "[" + this.console.green("ok") + "] " : "[" + this.console.red("VIOLATED") + "] ";
	}

}
