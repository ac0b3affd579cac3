package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import dev.failover.testkit.Sleeps;

/**
 * What an operator does to the heartbeat topic with Kafka's Admin client: delete it and
 * create it again with the same settings, add partitions, elect a leader uncleanly; and
 * what the checks need to know about it (its id, its partitions' end offsets).
 */
final class TopicAdmin implements AutoCloseable {

	private static final Duration CALL = Duration.ofSeconds(30);

	private static final Duration POLL = Duration.ofMillis(20);

	private final Admin admin;

	TopicAdmin(String bootstrapServers) {
		// short request timeouts: a question to a dead or paused broker must go to another soon
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				AdminClientConfig.CLIENT_ID_CONFIG, "fault-suite-operator", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
				3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
	}

	/**
	 * Returns what a topic is made of, to create it again the same way.
	 * @param topic the topic
	 * @return its id, partitions, replication factor and the configs set on it
	 */
	Shape shape(String topic) {
		TopicDescription description = describe(topic).orElseThrow(() -> new IllegalStateException("Topic " + topic
				+ " does not exist"));
		ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
		Config config = call("describe the config of " + topic,
				() -> this.admin.describeConfigs(List.of(resource)).all().get().get(resource));
		Map<String, String> configs = new LinkedHashMap<>();
		for (ConfigEntry entry : config.entries()) {
			if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
				configs.put(entry.name(), entry.value());
			}
		}
		return new Shape(description.topicId(), description.partitions().size(),
				(short) description.partitions().get(0).replicas().size(), Map.copyOf(configs));
	}

	/**
	 * Returns a topic's description, or empty if it does not exist.
	 * @param topic the topic
	 * @return the description
	 */
	Optional<TopicDescription> describe(String topic) {
		try {
			return Optional.of(this.admin.describeTopics(List.of(topic)).allTopicNames().get(CALL.toMillis(),
					TimeUnit.MILLISECONDS).get(topic));
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
				return Optional.empty();
			}
			throw new IllegalStateException("Cannot describe topic " + topic + ": " + ex.getCause(), ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Cannot describe topic " + topic + " within " + CALL.toSeconds() + " s", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while describing topic " + topic, ex);
		}
	}

	/**
	 * Returns whether a topic exists, as the cluster's list of topics says.
	 * @param topic the topic
	 * @return {@code true} if it is listed
	 */
	boolean exists(String topic) {
		return call("list topics", () -> this.admin.listTopics().names().get()).contains(topic);
	}

	/**
	 * Deletes a topic and waits until the cluster no longer lists it.
	 * @param topic the topic
	 * @return the instant just before the deletion was requested
	 */
	Instant delete(String topic) {
		Instant at = Instant.now();
		call("delete topic " + topic, () -> this.admin.deleteTopics(List.of(topic)).all().get());
		long deadline = System.nanoTime() + CALL.toNanos();
		while (exists(topic)) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Topic " + topic + " is still listed " + CALL.toSeconds()
						+ " s after its deletion");
			}
			Sleeps.sleep(POLL);
		}
		return at;
	}

	/**
	 * Creates a topic with the shape of an earlier one (a new id) and waits until every
	 * partition has a leader.
	 * @param topic the topic
	 * @param shape partitions, replication factor and configs
	 * @return the instant just before the creation was requested
	 */
	Instant create(String topic, Shape shape) {
		return create(new NewTopic(topic, shape.partitions(), shape.replicationFactor()).configs(shape.configs()));
	}

	/**
	 * Creates a topic and waits until every partition has a leader.
	 * @param topic the topic, with its partitions or replica assignment and configs
	 * @return the instant just before the creation was requested
	 */
	Instant create(NewTopic topic) {
		Instant at = Instant.now();
		// a topic deleted a moment ago may still be being removed: its name is taken until then
		long deadline = System.nanoTime() + CALL.toNanos();
		while (true) {
			try {
				this.admin.createTopics(List.of(topic)).all().get(CALL.toMillis(), TimeUnit.MILLISECONDS);
				break;
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)
						|| System.nanoTime() - deadline > 0) {
					throw new IllegalStateException("Cannot create topic " + topic.name() + ": " + ex.getCause(), ex);
				}
				Sleeps.sleep(POLL);
			}
			catch (TimeoutException ex) {
				throw new IllegalStateException("Cannot create topic " + topic.name() + " within " + CALL.toSeconds()
						+ " s", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while creating topic " + topic.name(), ex);
			}
		}
		awaitLeaders(topic.name());
		return at;
	}

	private void awaitLeaders(String topic) {
		long deadline = System.nanoTime() + CALL.toNanos();
		while (true) {
			Optional<TopicDescription> description = describe(topic);
			if (description.isPresent() && !description.get().partitions().isEmpty() && description.get()
				.partitions()
				.stream()
				.allMatch((partition) -> partition.leader() != null && !partition.leader().isEmpty())) {
				return;
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Topic " + topic + " has partitions without a leader " + CALL.toSeconds()
						+ " s after its creation");
			}
			Sleeps.sleep(POLL);
		}
	}

	/**
	 * Raises a topic's partition count.
	 * @param topic the topic
	 * @param total the new count
	 */
	void addPartitions(String topic, int total) {
		call("add partitions to " + topic,
				() -> this.admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(total))).all().get());
		awaitLeaders(topic);
	}

	/**
	 * Returns the end offset of every partition of a topic.
	 * @param topic the topic
	 * @return the end offsets, by partition
	 */
	Map<Integer, Long> endOffsets(String topic) {
		int partitions = describe(topic).orElseThrow().partitions().size();
		Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
		for (int partition = 0; partition < partitions; partition++) {
			request.put(new TopicPartition(topic, partition), OffsetSpec.latest());
		}
		Map<Integer, Long> ends = new java.util.TreeMap<>();
		call("list the end offsets of " + topic, () -> this.admin.listOffsets(request).all().get())
			.forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
		return ends;
	}

	/**
	 * Asks the controller to elect a leader for a partition among its live replicas, in sync
	 * or not: what an operator does to get a partition back whose in-sync replicas are gone.
	 * @param topic the topic
	 * @param partition the partition
	 * @return the error the election reported, or empty if it succeeded
	 */
	Optional<String> electUnclean(String topic, int partition) {
		TopicPartition tp = new TopicPartition(topic, partition);
		try {
			Optional<Throwable> error = this.admin.electLeaders(ElectionType.UNCLEAN, java.util.Set.of(tp))
				.partitions()
				.get(CALL.toMillis(), TimeUnit.MILLISECONDS)
				.get(tp);
			return error.map(Throwable::toString);
		}
		catch (ExecutionException | TimeoutException ex) {
			return Optional.of(String.valueOf(ex.getCause() != null ? ex.getCause() : ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while electing a leader for " + tp, ex);
		}
	}

	private <T> T call(String what, Call<T> call) {
		try {
			return call.get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot " + what + ": " + ex.getCause(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while trying to " + what, ex);
		}
	}

	@FunctionalInterface
	private interface Call<T> {

		T get() throws ExecutionException, InterruptedException;

	}

	@Override
	public void close() {
		this.admin.close(Duration.ofSeconds(5));
	}

	/**
	 * What a topic is made of.
	 *
	 * @param id the topic id of this incarnation
	 * @param partitions the partition count
	 * @param replicationFactor the replication factor
	 * @param configs the configs set on the topic itself
	 */
	record Shape(Uuid id, int partitions, short replicationFactor, Map<String, String> configs) {

	}

}
