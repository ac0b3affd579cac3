package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.failover.cluster.InstanceStatus;
import dev.failover.cluster.RoleLogEntry;
import dev.failover.cluster.RoleLogs;
import dev.failover.cluster.SampleInstance;

/**
 * A configuration rolled out by restarting the instances one by one, as an operator does it:
 * the secondaries first, then the primary, which hands its role over on the way out.
 * Every restart is checked like {@code rolling-restart}: a secondary's restart changes no
 * role, the primary's is a handover.
 */
final class RollingChanges {

	private final FaultRun run;

	private final InstanceSettings settings;

	private final boolean agreeing;

	/**
	 * Creates the rollout of a scenario.
	 * @param run the scenario
	 * @param settings the instances' settings files
	 * @param agreeing whether every member must know the primary throughout; not while a
	 * signing key is turned on, when a member that signs rejects the unsigned records of the
	 * primary and knows no primary until it signs too
	 */
	RollingChanges(FaultRun run, InstanceSettings settings, boolean agreeing) {
		this.run = run;
		this.settings = settings;
		this.agreeing = agreeing;
	}

	/**
	 * Restarts every instance with new settings, the primary last.
	 * @param step what the step does, for the log and the checks
	 * @param values the settings every instance gets
	 * @throws InterruptedException if interrupted while waiting
	 */
	void roll(String step, Map<String, String> values) throws InterruptedException {
		SampleInstance primary = primary();
		List<SampleInstance> order = new ArrayList<>(this.run.others(primary));
		order.add(primary);
		this.run.log(step + ": restarting " + order.stream().map((instance) -> "'" + instance.id() + "'").toList());
		for (SampleInstance instance : order) {
			restart(step, instance, values);
		}
	}

	/**
	 * Restarts one instance with new settings: gracefully, as a rolling change does.
	 * @param step what the step does
	 * @param instance the instance
	 * @param values its new settings
	 * @throws InterruptedException if interrupted while waiting
	 */
	void restart(String step, SampleInstance instance, Map<String, String> values) throws InterruptedException {
		SampleInstance primary = primary();
		long epoch = primary.status().epoch();
		if (instance == primary) {
			this.run.awaitLedgerProgress(primary);
			Instant stopped = this.run.terminate(instance);
			this.settings.set(instance.id(), values);
			String fault = step + ": graceful stop of primary '" + instance.id() + "'";
			if (this.agreeing) {
				Recovery recovery = this.run.expectPromotion(fault, "the SIGTERM", stopped, epoch);
				this.run.start(instance);
				CrashScenarios.rejoin(this.run, instance, this.run.cluster().instance(recovery.successor()));
				return;
			}
			RoleLogEntry promotion = RoleLogs.awaitPromotionAbove(this.run.instances(), epoch, FaultRun.SETTLE);
			this.run.recovered(new Recovery(fault, "the SIGTERM", RoleLogs.since(stopped, promotion),
					this.run.recoveryBound(), promotion.instanceId(), promotion.epoch()));
			this.run.start(instance);
			SampleInstance now = primary();
			this.run.check("'" + instance.id() + "' rejoined as secondary", now != instance, "primary is '" + now.id()
					+ "' at epoch " + now.status().epoch() + "; '" + instance.id() + "' reports " + views(instance));
			return;
		}
		int roleChanges = RoleLogs.count(this.run.instances());
		this.run.terminate(instance);
		this.settings.set(instance.id(), values);
		this.run.start(instance);
		// a member that misjudged the group would claim within its own timeout of joining
		Thread.sleep(Math.min(joinWait(values).toMillis(), 6000));
		String fault = step + ": restart of secondary '" + instance.id() + "'";
		if (this.agreeing) {
			this.run.expectPrimaryKept(fault, primary, epoch, roleChanges);
			return;
		}
		SampleInstance now = primary();
		int changes = RoleLogs.count(this.run.instances());
		boolean kept = now == primary && primary.status().epoch() == epoch && changes == roleChanges;
		this.run.check("no role change after " + fault, kept, "primary '" + now.id() + "' at epoch "
				+ now.status().epoch() + ", " + (changes - roleChanges) + " role changes; '" + instance.id() + "' reports "
				+ views(instance));
		this.run.recovered(new Recovery(fault, "-", null, this.run.recoveryBound(), primary.id(), epoch));
	}

	/**
	 * Waits until one instance acts as primary and no other does; unless members must agree,
	 * those that cannot verify its records need not know it.
	 * @return the primary
	 * @throws InterruptedException if interrupted while waiting
	 */
	SampleInstance primary() throws InterruptedException {
		if (this.agreeing) {
			return this.run.awaitPrimary();
		}
		long deadline = System.nanoTime() + FaultRun.SETTLE.toNanos();
		while (true) {
			List<SampleInstance> acting = this.run.instances()
				.stream()
				.filter((instance) -> instance.tryStatus().map(InstanceStatus::isPrimary).orElse(false))
				.toList();
			if (acting.size() == 1) {
				return acting.get(0);
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("not one acting primary within " + FaultRun.SETTLE.toSeconds() + " s: "
						+ views(this.run.instances().toArray(SampleInstance[]::new)));
			}
			Thread.sleep(100);
		}
	}

	/**
	 * Describes what instances report about the group.
	 * @param instances the instances
	 * @return one entry each, such as {@code 'b': secondary, primary none at epoch 0}
	 */
	static String views(SampleInstance... instances) {
		List<String> views = new ArrayList<>();
		for (SampleInstance instance : instances) {
			views.add(instance.tryStatus()
				.map((status) -> status.role() + ", primary " + status.primary().orElse("none") + " at epoch "
						+ status.epoch())
				.orElse("no answer"));
		}
		return String.join("; ", views);
	}

	private Duration joinWait(Map<String, String> values) {
		Duration timeout = duration(values.get("failover.heartbeat-timeout"), this.run.timeout());
		Duration interval = duration(values.get("failover.heartbeat-interval"), this.run.interval());
		return timeout.plus(interval.multipliedBy(2));
	}

	/** Reads a duration as these scenarios write them: {@code 3s}, {@code 500ms}. */
	static Duration duration(String value, Duration fallback) {
		if (value == null) {
			return fallback;
		}
		if (value.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
		}
		return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
	}

}
