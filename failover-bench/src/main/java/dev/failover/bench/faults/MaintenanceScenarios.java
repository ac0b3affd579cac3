package dev.failover.bench.faults;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.failover.testkit.Parallel;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleInstance;
import dev.failover.cluster.StepDownResult;

/**
 * Planned operations: a rolling restart, a series of switchovers through the endpoint, and
 * a restart of the whole group. Each hands the primary role over gracefully, so each
 * recovery should take milliseconds, not a timeout.
 */
final class MaintenanceScenarios {

	private static final Pattern JOINED = Pattern.compile("Instance '[^']+' joined group '[^']+' as secondary");

	private MaintenanceScenarios() {
	}

	static Scenario rollingRestart() {
		return ClusterScenario.of("rolling-restart",
				"restart every instance in turn (SIGTERM, start): the primary hands over at once; the others never change role",
				MaintenanceScenarios::rollingRestart);
	}

	static Scenario switchovers(int count) {
		return ClusterScenario.of("switchovers-" + count,
				count + " switchovers in a row (POST step-down to the primary): each successor is primary in milliseconds",
				(run) -> switchovers(run, count));
	}

	static Scenario groupRestart() {
		return ClusterScenario.of("group-restart",
				"stop every instance (SIGTERM), start them all again: one primary once the first has read the log",
				MaintenanceScenarios::groupRestart);
	}

	private static void rollingRestart(FaultRun run) {
		for (SampleInstance instance : run.instances()) {
			SampleInstance primary = run.awaitPrimary();
			long epoch = primary.status().epoch();
			if (instance == primary) {
				run.awaitLedgerProgress(primary);
				Instant stopped = run.terminate(instance);
				Recovery recovery = run.expectPromotion("graceful stop of primary '" + instance.id() + "'", "the SIGTERM",
						stopped, epoch);
				run.start(instance);
				CrashScenarios.rejoin(run, instance, run.cluster().instance(recovery.successor()));
			}
			else {
				int roleChanges = RoleLogs.count(run.instances());
				run.terminate(instance);
				run.start(instance);
				run.expectPrimaryKept("restart of secondary '" + instance.id() + "'", primary, epoch, roleChanges);
			}
		}
	}

	private static void switchovers(FaultRun run, int count) {
		for (int i = 1; i <= count; i++) {
			SampleInstance primary = run.awaitPrimary();
			long epoch = primary.status().epoch();
			run.awaitLedgerProgress(primary);
			Instant requested = Instant.now();
			StepDownResult answer = primary.stepDown();
			run.check("switchover " + i + " accepted", answer.outcome() != null
					&& answer.outcome().startsWith("stepped down"), "'" + primary.id() + "' answered: " + answer.outcome());
			Recovery recovery = run.expectPromotion("switchover " + i + " from '" + primary.id() + "'", "the POST",
					requested, epoch);
			run.check("switchover " + i + " moved the role", !primary.id().equals(recovery.successor()),
					"'" + recovery.successor() + "' is primary at epoch " + recovery.epoch());
		}
		run.awaitLedgerProgress(run.awaitPrimary());
	}

	private static void groupRestart(FaultRun run) {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		Parallel.forEach(run.instances(), run::terminate);
		Map<SampleInstance, Long> positions = new LinkedHashMap<>();
		run.instances().forEach((instance) -> positions.put(instance, instance.logPosition()));
		Parallel.forEach(run.instances(), run::start);
		Instant firstJoined = null;
		for (Map.Entry<SampleInstance, Long> entry : positions.entrySet()) {
			Instant joined = timestamp(entry.getKey().awaitLogLine(entry.getValue(), JOINED, FaultRun.SETTLE));
			firstJoined = (firstJoined == null || joined.isBefore(firstJoined)) ? joined : firstJoined;
		}
		Recovery recovery = run.expectPromotion("restart of the whole group", "the first instance reading the log",
				firstJoined, epoch);
		run.awaitLedgerProgress(run.cluster().instance(recovery.successor()));
	}

	/** The instant at the start of a log line in Spring Boot's default format (ISO-8601 with offset). */
	static Instant timestamp(String line) {
		String first = line.strip().split("\\s+", 2)[0];
		try {
			return OffsetDateTime.parse(first).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new IllegalStateException("Cannot read the time of log line: " + line, ex);
		}
	}

}
