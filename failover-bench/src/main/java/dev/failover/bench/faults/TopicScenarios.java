package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleInstance;

/**
 * What operators do to the heartbeat topic while the group runs, named {@code topic-...}:
 * delete it and create it again (the way PROTOCOL.md asks for, with more than a heartbeat
 * timeout in between, and the operator error of creating it again at once), and add
 * partitions to it.
 * <p>
 * The broker creates topics on a producer's metadata request here
 * ({@code auto.create.topics.enable=true}, Kafka's default), so that a client that asked for
 * the deleted topic would bring it back with the broker's defaults: the checks see it.
 */
final class TopicScenarios {

	private static final Pattern TOPIC_MISSING = Pattern.compile("Failover topic '" + HeartbeatTopic.TOPIC
			+ "' does not exist: no record is sent");

	private static final Pattern LOG_REPLACED = Pattern.compile("the log is not the one read so far");

	private TopicScenarios() {
	}

	static Scenario replaced() {
		return ClusterScenario.of("topic-replaced", "delete the heartbeat topic, wait longer than the heartbeat timeout, "
				+ "create it again (Admin client, same settings): nobody recreates it meanwhile, every member reports the "
				+ "log replaced, nobody claims for a full timeout, the next epoch is above every earlier one", 3,
				TopicScenarios::autoCreate, (run) -> replace(run, false));
	}

	static Scenario replacedAtOnce() {
		Scenario scenario = ClusterScenario.of("topic-replaced-fast", "delete the heartbeat topic and create it again "
				+ "at once (the operator error PROTOCOL.md names): every member reports the log replaced, the primary "
				+ "stops at once; an overlap within the documented limit is reported, not failed", 3,
				TopicScenarios::autoCreate, (run) -> replace(run, true));
		return DocumentedLimit.overlapAllowed(scenario, "a primary that had not noticed the replaced topic yet overlapped "
				+ "the new one (PROTOCOL.md: created again within a lease)");
	}

	static Scenario partitionsAdded() {
		return ClusterScenario.of("topic-partitions-added", "raise the one-partition heartbeat topic to 4 partitions, "
				+ "then restart a secondary: one primary throughout, every record stays on partition 0", 3,
				(builder) -> {
				}, TopicScenarios::addPartitions);
	}

	private static void autoCreate(dev.failover.cluster.SampleClusterBuilder builder) {
		builder.brokerProperty("auto.create.topics.enable", "true");
	}

	private static void replace(FaultRun run, boolean atOnce) throws InterruptedException {
		// a switchover first, so that the old log holds more than one epoch for the new one to learn
		run.awaitPrimary().stepDown();
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		long highestBefore = highestEpoch(run);
		try (TopicAdmin admin = new TopicAdmin(run.cluster().bootstrapServers())) {
			TopicAdmin.Shape shape = admin.shape(HeartbeatTopic.TOPIC);
			Map<SampleInstance, Long> positions = positions(run);
			Instant deleted = admin.delete(HeartbeatTopic.TOPIC);
			run.log("deleted topic " + HeartbeatTopic.TOPIC + " (id " + shape.id() + ", " + shape.partitions()
					+ " partition(s), replication factor " + shape.replicationFactor() + ", " + shape.configs() + ") in "
					+ Duration.between(deleted, Instant.now()).toMillis() + " ms");
			if (!atOnce) {
				// longer than the heartbeat timeout: what PROTOCOL.md tells operators to wait
				Thread.sleep(run.timeout().plus(run.interval()).toMillis());
				boolean exists = admin.exists(HeartbeatTopic.TOPIC);
				run.check("nobody created the topic while it was gone", !exists, exists
						? "the topic exists again although nobody was asked to create it (auto.create.topics.enable=true)"
						: "still absent " + Duration.between(deleted, Instant.now()).toMillis()
								+ " ms after the deletion, with auto.create.topics.enable=true");
				for (SampleInstance instance : run.instances()) {
					Optional<String> line = logLine(instance, positions.get(instance), TOPIC_MISSING, Duration.ofSeconds(1));
					run.check("'" + instance.id() + "' sent nothing while the topic was gone", line.isPresent(),
							line.map((text) -> "logged: " + text.strip()).orElse("no 'does not exist' line in its log"));
				}
			}
			Instant created = admin.create(HeartbeatTopic.TOPIC, shape);
			TopicAdmin.Shape replacement = admin.shape(HeartbeatTopic.TOPIC);
			run.log("created topic " + HeartbeatTopic.TOPIC + " again (id " + replacement.id() + ") "
					+ Duration.between(deleted, created).toMillis() + " ms after the deletion");
			Map<SampleInstance, Instant> noticed = new LinkedHashMap<>();
			for (SampleInstance instance : run.instances()) {
				Optional<String> transport = logLine(instance, positions.get(instance), Pattern.compile(
						"deleted and created again \\(its id was [^,]+, is now " + replacement.id() + "\\)"), FaultRun.SETTLE);
				Optional<String> watcher = logLine(instance, positions.get(instance), LOG_REPLACED, FaultRun.SETTLE);
				watcher.ifPresent((line) -> noticed.put(instance, MaintenanceScenarios.timestamp(line)));
				run.check("'" + instance.id() + "' saw the new topic id and failed closed", transport.isPresent()
						&& watcher.isPresent(), "transport: " + transport.map((line) -> "reported topic id "
								+ replacement.id()).orElse("no report of the new id") + "; watcher: "
								+ watcher.map((line) -> "noticed " + Duration.between(created, noticed.get(instance)).toMillis()
										+ " ms after the creation").orElse("did not report a replaced log"));
			}
			checkPrimaryStopped(run, primary, epoch, created, noticed.get(primary), atOnce);
			Recovery recovery = run.expectPromotion("topic " + (atOnce ? "deleted and created again at once"
					: "deleted, created again after " + Duration.between(deleted, created).toMillis() + " ms"),
					"the topic's creation", created, highestBefore);
			RoleLogEntry promotion = RoleLogs.promotion(run.cluster().instance(recovery.successor()), recovery.epoch())
				.orElseThrow();
			Instant claimerNoticed = noticed.get(run.cluster().instance(recovery.successor()));
			if (claimerNoticed != null) {
				Duration waited = Duration.between(claimerNoticed, promotion.at());
				run.check("nobody claimed for a full timeout after noticing", waited.compareTo(run.timeout()) >= 0,
						"'" + recovery.successor() + "' promoted " + waited.toMillis() + " ms after it noticed (timeout "
								+ run.timeout().toMillis() + " ms)");
			}
			run.check("the new primary's epoch is above every earlier one", recovery.epoch() > highestBefore,
					"epoch " + recovery.epoch() + "; highest before the deletion " + highestBefore);
			run.awaitLedgerProgress(run.cluster().instance(recovery.successor()));
			run.note((atOnce ? "recreated at once" : "recreated after " + Duration.between(deleted, created).toMillis()
					+ " ms") + ": " + GroupOutage.since(run.primaryIntervals(), deleted) + "; epochs " + highestBefore
					+ " before, " + recovery.epoch() + " after");
		}
	}

	/**
	 * Checks that the primary stopped acting: at once when it noticed the new topic, or, if
	 * the topic stayed away longer than its lease, when its lease lapsed before the creation.
	 */
	private static void checkPrimaryStopped(FaultRun run, SampleInstance primary, long epoch, Instant created,
			Instant noticed, boolean atOnce) {
		// the harness saw the watcher's notice; its role log may hear of the demotion a moment later
		Optional<RoleLogEntry> demotion = RoleLogs.awaitDemotion(primary, epoch, run.interval());
		if (demotion.isEmpty()) {
			run.check("the primary stopped acting", false, "'" + primary.id() + "' logged no demotion from epoch " + epoch);
			return;
		}
		RoleLogEntry entry = demotion.get();
		if (entry.at().isBefore(created)) {
			run.check("the primary stopped acting", !atOnce || "LOG_REPLACED".equals(entry.cause()),
					"'" + primary.id() + "' stopped before the topic was created again (" + entry.cause() + ")");
			return;
		}
		Duration late = (noticed != null) ? Duration.between(noticed, entry.at()).abs() : null;
		boolean atNotice = "LOG_REPLACED".equals(entry.cause()) && late != null && late.compareTo(run.interval()) <= 0;
		run.check("the primary stopped acting at once", atNotice, "'" + primary.id() + "' demoted from epoch " + epoch
				+ " (" + entry.cause() + ") " + Duration.between(created, entry.at()).toMillis()
				+ " ms after the creation" + ((late != null) ? ", " + late.toMillis() + " ms from its notice" : ""));
	}

	private static void addPartitions(FaultRun run) throws InterruptedException {
		SampleInstance primary = run.awaitPrimary();
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		int roleChanges = RoleLogs.count(run.instances());
		Instant from = Instant.now();
		try (TopicAdmin admin = new TopicAdmin(run.cluster().bootstrapServers())) {
			int before = admin.shape(HeartbeatTopic.TOPIC).partitions();
			admin.addPartitions(HeartbeatTopic.TOPIC, 4);
			run.log("raised " + HeartbeatTopic.TOPIC + " from " + before + " to 4 partitions");
			// long enough for every member to see the new count in its metadata
			Thread.sleep(run.interval().multipliedBy(3).toMillis());
			SampleInstance secondary = run.others(primary).get(0);
			run.terminate(secondary);
			run.start(secondary);
			// a claim on an empty partition would come one timeout after the restart
			Thread.sleep(run.recoveryBound().toMillis());
			run.expectPrimaryKept("4 partitions and a restarted secondary", primary, epoch, roleChanges);
			CrashScenarios.rejoin(run, secondary, primary);
			Map<Integer, Long> ends = admin.endOffsets(HeartbeatTopic.TOPIC);
			boolean onlyZero = ends.entrySet().stream().allMatch((end) -> end.getKey() == 0 || end.getValue() == 0);
			run.check("every record on partition 0", onlyZero && ends.size() == 4, "end offsets by partition " + ends);
		}
		run.note("4 partitions, secondary restarted: " + GroupOutage.since(run.primaryIntervals(), from) + "; epoch "
				+ epoch + " before, " + run.awaitPrimary().status().epoch() + " after");
	}

	static long highestEpoch(FaultRun run) {
		return RoleLogs.all(run.instances()).stream().mapToLong(RoleLogEntry::epoch).max().orElse(0);
	}

	static Map<SampleInstance, Long> positions(FaultRun run) {
		Map<SampleInstance, Long> positions = new LinkedHashMap<>();
		run.instances().forEach((instance) -> positions.put(instance, instance.logPosition()));
		return positions;
	}

	/** Waits for a line of an instance's log after a position; empty if none came in time. */
	static Optional<String> logLine(SampleInstance instance, long position, Pattern pattern, Duration timeout) {
		try {
			return Optional.of(instance.awaitLogLine(position, pattern, timeout));
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	static List<SampleInstance> live(FaultRun run) {
		return run.instances().stream().filter(SampleInstance::isAlive).toList();
	}

}
