package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleInstance;

/**
 * Settings rolled out instance by instance while the group runs, named {@code rolling-...}:
 * a heartbeat timeout lowered from the defaults to the sample's and raised again (members
 * with different timeouts meanwhile: a secondary must wait out the longer of its timeout and
 * the primary's announced lease), and a signing key turned on and rotated through
 * {@code failover.accepted-signing-keys} (and {@code failover.accept-unsigned-records} while
 * signing is turned on), the way PROTOCOL.md describes, and the unsafe way.
 */
final class RollingScenarios {

	private static final List<String> IDS = List.of("a", "b", "c");

	private static final Map<String, String> SLOW = Map.of("failover.heartbeat-interval", "5s",
			"failover.heartbeat-timeout", "15s");

	private static final Map<String, String> FAST = Map.of("failover.heartbeat-interval", "1s",
			"failover.heartbeat-timeout", "3s");

	/** The slow settings' lease: timeout less the default margin of a fifth. */
	private static final Duration SLOW_LEASE = Duration.ofSeconds(12);

	private static final String SIGNING_KEY = "failover.signing-key";

	private static final String ACCEPTED_KEYS = "failover.accepted-signing-keys";

	private static final String ACCEPT_UNSIGNED = "failover.accept-unsigned-records";

	private RollingScenarios() {
	}

	static Scenario timeoutChange() {
		AtomicReference<InstanceSettings> files = new AtomicReference<>();
		return ClusterScenario.of("rolling-timeout-change", "roll a group at 5 s / 15 s to 1 s / 3 s instance by "
				+ "instance and back; midway SIGSTOP the last slow primary for 20 s: its fast secondaries wait out its "
				+ "12 s lease; no overlap, failovers counted", 3,
				(builder) -> files.set(InstanceSettings.of(builder, IDS, SLOW)), (run) -> timeoutChange(run, files.get()));
	}

	static Scenario keyRotation() {
		AtomicReference<InstanceSettings> files = new AtomicReference<>();
		return ClusterScenario.of("rolling-key-rotation", "turn signing on and rotate the key in five rolling restarts "
				+ "(accept K1; sign K1; accept K2; sign K2 accepting K1; drop K1): a primary throughout but for the "
				+ "handovers, no overlap, no epoch reused", 3,
				(builder) -> files.set(InstanceSettings.of(builder, IDS, Map.of())), (run) -> keyRotation(run, files.get()));
	}

	static Scenario unsafeKey() {
		AtomicReference<InstanceSettings> files = new AtomicReference<>();
		return ClusterScenario.of("rolling-key-unsafe", "turn signing on the unsafe way (a key on one secondary, no "
				+ "accepted keys anywhere), kill -9 the unsigned primary, then give everyone the key: never two "
				+ "primaries; what it costs is reported", 3,
				(builder) -> files.set(InstanceSettings.of(builder, IDS, Map.of())), (run) -> unsafeKey(run, files.get()));
	}

	private static void timeoutChange(FaultRun run, InstanceSettings files) throws InterruptedException {
		RollingChanges rolling = new RollingChanges(run, files, true);
		Instant from = Instant.now();
		long epochBefore = TopicScenarios.highestEpoch(run);
		SampleInstance slow = run.awaitPrimary();
		for (SampleInstance secondary : run.others(slow)) {
			rolling.restart("to 1 s / 3 s", secondary, FAST);
		}
		pauseSlowPrimary(run, slow);
		rolling.restart("to 1 s / 3 s", slow, FAST);
		GroupOutage down = GroupOutage.since(run.primaryIntervals(), from);
		Instant back = Instant.now();
		rolling.roll("back to 5 s / 15 s", SLOW);
		run.awaitLedgerProgress(run.awaitPrimary());
		run.note("to 1 s / 3 s (with the pause): " + down);
		run.note("back to 5 s / 15 s: " + GroupOutage.since(run.primaryIntervals(), back));
		run.note("whole roll: " + GroupOutage.since(run.primaryIntervals(), from) + "; epochs " + epochBefore
				+ " before, " + run.awaitPrimary().status().epoch() + " after");
	}

	/**
	 * Pauses a primary at 5 s / 15 s whose secondaries run at 1 s / 3 s: they must not claim
	 * before its announced lease (12 s) is over, though their own timeout is 3 s.
	 */
	private static void pauseSlowPrimary(FaultRun run, SampleInstance slow) throws InterruptedException {
		SampleInstance primary = run.awaitPrimary();
		run.check("the slow instance is still primary with fast secondaries", primary == slow,
				"primary '" + primary.id() + "' at epoch " + primary.status().epoch());
		long epoch = primary.status().epoch();
		run.awaitLedgerProgress(primary);
		Instant paused = run.pause(primary);
		Thread.sleep(20_000);
		run.resume(primary);
		Recovery recovery = run.expectPromotion("SIGSTOP of '" + primary.id() + "' at 5 s / 15 s, secondaries at "
				+ "1 s / 3 s", "the SIGSTOP", paused, epoch);
		RoleLogEntry promotion = RoleLogs.promotion(run.cluster().instance(recovery.successor()), recovery.epoch())
			.orElseThrow();
		run.check("the fast secondary waited out the slow primary's lease",
				promotion.sinceLastHeartbeatMs() >= SLOW_LEASE.toMillis(), "'" + recovery.successor()
						+ "' (timeout 3 s) claimed " + promotion.sinceLastHeartbeatMs() + " ms after the last heartbeat "
						+ "of '" + primary.id() + "' (its lease " + SLOW_LEASE.toMillis() + " ms)");
		CrashScenarios.rejoin(run, primary, run.cluster().instance(recovery.successor()));
	}

	private static void keyRotation(FaultRun run, InstanceSettings files) throws InterruptedException {
		String k1 = key();
		String k2 = key();
		RollingChanges rolling = new RollingChanges(run, files, false);
		Instant from = Instant.now();
		long epochBefore = TopicScenarios.highestEpoch(run);
		Map<String, Map<String, String>> steps = new LinkedHashMap<>();
		steps.put("1 accept K1", Map.of(ACCEPTED_KEYS, k1));
		// while some still do not sign, those that do accept unsigned records (PROTOCOL.md)
		steps.put("2 sign K1, accept unsigned", Map.of(SIGNING_KEY, k1, ACCEPT_UNSIGNED, "true"));
		steps.put("3 sign K1, accept K2", Map.of(SIGNING_KEY, k1, ACCEPTED_KEYS, k2));
		steps.put("4 sign K2, accept K1", Map.of(SIGNING_KEY, k2, ACCEPTED_KEYS, k1));
		steps.put("5 sign K2", Map.of(SIGNING_KEY, k2));
		for (Map.Entry<String, Map<String, String>> step : steps.entrySet()) {
			Instant started = Instant.now();
			rolling.roll("step " + step.getKey(), step.getValue());
			GroupOutage outage = GroupOutage.since(run.primaryIntervals(), started);
			run.note("step " + step.getKey() + ": " + outage + "; then 'a', 'b', 'c' report: "
					+ RollingChanges.views(run.instances().toArray(SampleInstance[]::new)));
			// a handover costs milliseconds; a timeout-long gap means a record was not accepted
			run.check("step " + step.getKey() + ": a primary throughout but for the handover",
					outage.longestWithoutPrimary().compareTo(run.interval()) < 0, outage.toString());
		}
		run.awaitLedgerProgress(run.awaitPrimary());
		run.note("whole rotation: " + GroupOutage.since(run.primaryIntervals(), from) + "; epochs " + epochBefore
				+ " before, " + run.awaitPrimary().status().epoch() + " after");
	}

	private static void unsafeKey(FaultRun run, InstanceSettings files) throws InterruptedException {
		String k1 = key();
		RollingChanges rolling = new RollingChanges(run, files, false);
		long epochBefore = TopicScenarios.highestEpoch(run);
		SampleInstance primary = run.awaitPrimary();
		SampleInstance signer = run.others(primary).get(0);
		SampleInstance unsigned = run.others(primary, signer).get(0);
		rolling.restart("key on one secondary only", signer, Map.of(SIGNING_KEY, k1));
		Thread.sleep(run.timeout().multipliedBy(2).toMillis());
		run.note("with a key on '" + signer.id() + "' alone, it reports: " + RollingChanges.views(signer) + "; '"
				+ unsigned.id() + "' reports: " + RollingChanges.views(unsigned));
		long epoch = rolling.primary().status().epoch();
		Instant killed = run.kill(primary);
		Duration wait = run.timeout().multipliedBy(4);
		Optional<RoleLogEntry> promotion = awaitPromotion(run, epoch, wait);
		run.note("kill -9 of the unsigned primary '" + primary.id() + "' while '" + signer.id() + "' alone signs: "
				+ promotion.map((entry) -> "'" + entry.instanceId() + "' primary at epoch " + entry.epoch() + " "
						+ RoleLogs.since(killed, entry).toMillis() + " ms later")
					.orElse("no primary within " + wait.toMillis() + " ms (each side takes the other's records for "
							+ "an unknown writer in the group and waits for its silence)"));
		files.set(primary.id(), Map.of(SIGNING_KEY, k1));
		run.start(primary);
		Instant allSigned;
		if (promotion.isPresent() && promotion.get().instanceId().equals(unsigned.id())) {
			rolling.restart("everyone signs", unsigned, Map.of(SIGNING_KEY, k1));
			allSigned = Instant.now();
		}
		else {
			run.terminate(unsigned);
			files.set(unsigned.id(), Map.of(SIGNING_KEY, k1));
			run.start(unsigned);
			allSigned = Instant.now();
		}
		SampleInstance last = run.awaitPrimary();
		run.awaitLedgerProgress(last);
		run.check("a primary once every instance signs", last.status().isPrimary(), "'" + last.id()
				+ "' primary at epoch " + last.status().epoch() + ", " + Duration.between(allSigned, Instant.now()).toMillis()
				+ " ms after the last restart");
		run.note("unsafe rollout from the kill on: " + GroupOutage.since(run.primaryIntervals(), killed) + "; epochs "
				+ epochBefore + " before, " + last.status().epoch() + " after");
	}

	private static Optional<RoleLogEntry> awaitPromotion(FaultRun run, long epoch, Duration wait)
			throws InterruptedException {
		long deadline = System.nanoTime() + wait.toNanos();
		while (System.nanoTime() - deadline < 0) {
			Optional<RoleLogEntry> promotion = RoleLogs.promotionAbove(run.instances(), epoch);
			if (promotion.isPresent()) {
				return promotion;
			}
			Thread.sleep(100);
		}
		return Optional.empty();
	}

	private static String key() {
		return UUID.randomUUID().toString().replace("-", "");
	}

}
