package dev.failover.bench.faults;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleInstance;

/**
 * Hostile input written straight to the group's partition of the heartbeat topic: garbage
 * of every kind, a 1 MiB record, replays of real records and forged heartbeats of a higher
 * epoch.
 * <p>
 * Every record must be skipped and counted under the right reason by every instance, with
 * no crash and no role change. The one exception is the trust model's documented limit:
 * without a signing key a forged heartbeat of a higher epoch is indistinguishable from a
 * real one and deposes the primary; the unsigned scenario shows that it does, and that the
 * group recovers once the forger falls silent. With a signing key, forgeries are rejected.
 */
final class HostileInputScenario {

	/** Lets the broker accept the 1 MiB record (its default limit is about 1 MB). */
	private static final String MAX_MESSAGE_BYTES = String.valueOf(HeartbeatTopic.MAX_REQUEST);

	private static final long FORGED_EPOCH_STEP = 100;

	private HostileInputScenario() {
	}

	static Scenario unsigned() {
		return ClusterScenario.of("hostile-input",
				"garbage, a 1 MiB record and replays on the topic: all counted, no crash, no role change; "
						+ "then a forged higher-epoch heartbeat without signing deposes the primary (documented limit)",
				3, (builder) -> builder.brokerProperty("message.max.bytes", MAX_MESSAGE_BYTES),
				(run) -> exercise(run, null));
	}

	static Scenario signed() {
		String key = UUID.randomUUID().toString().replace("-", "");
		return ClusterScenario.of("hostile-input-signed",
				"with --failover.signing-key: garbage, replays and forged higher-epoch heartbeats are all rejected",
				3, (builder) -> builder.brokerProperty("message.max.bytes", MAX_MESSAGE_BYTES)
					.appArgs(new String[] { "--failover.signing-key=" + key }),
				(run) -> exercise(run, key));
	}

	private static void exercise(FaultRun run, String signingKey) throws InterruptedException {
		boolean signed = signingKey != null;
		SampleInstance first = run.awaitPrimary();
		// a switchover first, so that the topic holds records of an older epoch to replay
		first.stepDown();
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		// a few heartbeats of the current epoch, to replay
		Thread.sleep(run.interval().multipliedBy(3).toMillis());

		HostileRecords generator = new HostileRecords(signed);
		try (HeartbeatTopic topic = new HeartbeatTopic(run.cluster().bootstrapServers())) {
			List<byte[]> history = topic.readAll();
			List<HostileRecord> records = new ArrayList<>(generator.garbage());
			records.addAll(generator.replays(history, epoch, signingKey));
			if (signed) {
				records.addAll(generator.forgeries(epoch + FORGED_EPOCH_STEP, history.get(history.size() - 1)));
			}
			Map<SampleInstance, RejectedCounts> before = new LinkedHashMap<>();
			run.instances().forEach((instance) -> before.put(instance, RejectedCounts.of(instance)));
			int roleChanges = RoleLogs.count(run.instances());
			for (HostileRecord record : records) {
				topic.write(record.value());
			}
			run.log("wrote " + records.size() + " hostile records: " + RejectedCounts.expected(records));
			awaitCounted(run, before, RejectedCounts.expected(records));
			run.check("every instance alive", run.instances().stream().allMatch(SampleInstance::isAlive),
					"all " + run.instances().size() + " processes running");
			run.expectPrimaryKept(records.size() + " hostile records", primary, epoch, roleChanges);
			if (!signed) {
				showForgedEpochDeposes(run, topic, generator, primary, epoch);
			}
		}
	}

	/** Waits until every instance has counted the records, then checks the exact counts. */
	private static void awaitCounted(FaultRun run, Map<SampleInstance, RejectedCounts> before, RejectedCounts expected)
			throws InterruptedException {
		long deadline = System.nanoTime() + FaultRun.SETTLE.toNanos();
		Map<SampleInstance, RejectedCounts> counted = new LinkedHashMap<>();
		while (true) {
			before.forEach((instance, earlier) -> counted.put(instance, RejectedCounts.of(instance).minus(earlier)));
			boolean reached = counted.values().stream().allMatch((delta) -> delta.total() >= expected.total());
			if (reached || System.nanoTime() - deadline > 0) {
				break;
			}
			Thread.sleep(200);
		}
		// a little longer: a count above the expected one would show up now
		Thread.sleep(run.interval().toMillis());
		before.forEach((instance, earlier) -> counted.put(instance, RejectedCounts.of(instance).minus(earlier)));
		counted.forEach((instance, delta) -> run.check("'" + instance.id() + "' counted every record by reason",
				delta.equals(expected), "counted " + delta + "; expected " + expected));
	}

	private static void showForgedEpochDeposes(FaultRun run, HeartbeatTopic topic, HostileRecords generator,
			SampleInstance primary, long epoch) {
		long forgedEpoch = epoch + FORGED_EPOCH_STEP;
		HostileRecord forged = generator.forgeries(forgedEpoch, new byte[0]).get(0);
		Instant written = Instant.now();
		topic.write(forged.value());
		run.log("wrote " + forged.label() + " (no signing key: this one is valid)");
		Recovery recovery = run.expectPromotion("forged heartbeat of epoch " + forgedEpoch + " (unsigned)",
				"the forged record", written, forgedEpoch);
		run.awaitLedgerProgress(run.cluster().instance(recovery.successor()));
		RoleLogEntry demotion = RoleLogs.demotion(primary, epoch).orElse(null);
		run.check("without signing, the forgery deposed the primary (documented trust limit)",
				demotion != null && "SUPERSEDED".equals(demotion.cause()),
				"'" + primary.id() + "' demoted: " + ((demotion != null) ? demotion.cause() + " at " + demotion.at() : "no")
						+ "; the group recovered when 'mallory' stayed silent: '" + recovery.successor() + "' at epoch "
						+ recovery.epoch());
		run.note("unsigned group: one forged heartbeat of epoch " + forgedEpoch + " deposed '" + primary.id()
				+ "'; '" + recovery.successor() + "' took over after the forger's silence; use a signing key or Kafka ACLs");
	}

}
