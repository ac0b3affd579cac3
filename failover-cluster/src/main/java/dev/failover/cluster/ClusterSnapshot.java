package dev.failover.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What every instance of a cluster reported at about the same moment (all are asked in
 * parallel), with the harness's own knowledge of which are stopped, paused or cut.
 *
 * @param takenAt when the snapshot was taken
 * @param observations one per instance, in the cluster's order
 */
public record ClusterSnapshot(Instant takenAt, List<Observation> observations) {

	public ClusterSnapshot {
		observations = List.copyOf(observations);
	}

	/**
	 * Returns the instances that report themselves primary, among all that answered
	 * (including cut ones: a cut primary that still claims the role counts).
	 * @return the observations of self-declared primaries
	 */
	public List<Observation> primaries() {
		return this.observations.stream()
			.filter((observation) -> observation.status() != null && observation.status().isPrimary())
			.toList();
	}

	/**
	 * Returns the single primary, if the group has settled: exactly one answering instance
	 * reports itself primary, and every instance that is running, not paused and not cut
	 * answers and names that primary at its epoch. Cut, paused and stopped instances need
	 * not agree, since they cannot know; a cut one must still not claim to be primary.
	 * @return the primary, or empty while the group has not settled
	 */
	public Optional<SampleInstance> singlePrimary() {
		List<Observation> primaries = primaries();
		if (primaries.size() != 1) {
			return Optional.empty();
		}
		InstanceStatus primary = primaries.get(0).status();
		if (!primary.instanceId().equals(primary.primaryId())) {
			return Optional.empty();
		}
		for (Observation observation : this.observations) {
			if (observation.mustAgree()
					&& (observation.status() == null || !observation.status().agreesWith(primary))) {
				return Optional.empty();
			}
		}
		return Optional.of(primaries.get(0).instance());
	}

	/**
	 * Returns the observation of one instance.
	 * @param id the instance id
	 * @return the observation
	 * @throws IllegalArgumentException if there is no such instance
	 */
	public Observation of(String id) {
		return this.observations.stream()
			.filter((observation) -> observation.instance().id().equals(id))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("id " + id + " is not an instance of this snapshot"));
	}

	/**
	 * Describes every observation, one per line, for error messages.
	 * @return the description
	 */
	public String describe() {
		return this.observations.stream().map(Observation::toString).collect(Collectors.joining("\n"));
	}

	/**
	 * What the harness knows of an instance's process.
	 */
	public enum State {

		/** Running and answered. */
		ANSWERING,

		/** Running but did not answer in time (starting, stopping or overloaded). */
		NOT_ANSWERING,

		/** Paused with {@code SIGSTOP}; not asked. */
		PAUSED,

		/** Not running: never started, killed, stopped or crashed; not asked. */
		STOPPED

	}

	/**
	 * One instance in a snapshot.
	 *
	 * @param instance the instance
	 * @param state what the harness knows of its process
	 * @param cut whether its network to the broker is cut
	 * @param status what it answered, or {@code null} unless {@link State#ANSWERING}
	 */
	public record Observation(SampleInstance instance, State state, boolean cut, InstanceStatus status) {

		/**
		 * Returns whether this instance must agree on the primary for the group to count as
		 * settled: it runs, is not paused and can reach the broker.
		 * @return {@code true} if it must agree
		 */
		public boolean mustAgree() {
			return !this.cut && (this.state == State.ANSWERING || this.state == State.NOT_ANSWERING);
		}

		@Override
		public String toString() {
			String prefix = this.instance.id() + (this.cut ? " (cut)" : "") + ": ";
			if (this.status == null) {
				return prefix + this.state.name().toLowerCase().replace('_', ' ');
			}
			return prefix + this.status.role() + ", epoch " + this.status.epoch() + ", primary "
					+ this.status.primary().orElse("none") + ", log "
					+ (this.status.logReachable() ? "reachable" : "unreachable");
		}

	}

}
