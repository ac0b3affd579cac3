package dev.failover.kafka;

import java.util.List;

/**
 * A description of the failover topic as {@link KafkaTransport#ensureTopic()} found or
 * created it, with the reasons it is weaker than production-safe, if any.
 *
 * @param name the topic name
 * @param partitions the number of partitions
 * @param replicationFactor the smallest replication factor of its partitions
 * @param minInSyncReplicas its {@code min.insync.replicas}, or -1 if it could not be read
 * @param uncleanLeaderElection whether {@code unclean.leader.election.enable} is on
 * (false if it could not be read)
 * @param cleanupPolicy its {@code cleanup.policy}, or {@code null} if it could not be read
 * @param created whether this call created the topic
 * @param warnings why acknowledged records could be lost on this topic; empty when it is
 * production-safe
 */
public record FailoverTopic(String name, int partitions, int replicationFactor, int minInSyncReplicas,
		boolean uncleanLeaderElection, String cleanupPolicy, boolean created, List<String> warnings) {

	/**
	 * Creates a description.
	 */
	public FailoverTopic {
		warnings = List.copyOf(warnings);
	}

	/**
	 * Returns whether acknowledged records survive the loss of one broker: replication
	 * factor of at least 3, {@code min.insync.replicas} of at least 2, and no unclean leader
	 * election.
	 * @return {@code true} if there is nothing to warn about
	 */
	public boolean isProductionSafe() {
		return this.warnings.isEmpty();
	}

}
