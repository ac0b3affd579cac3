package dev.failover.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/**
 * A real Kafka cluster in production shape: several broker processes (three by default),
 * each also a KRaft controller, with static voters, replication factor 3,
 * {@code min.insync.replicas} 2 and no unclean leader election, also for the internal topics.
 * <p>
 * Clients reach every broker directly ({@link #bootstrapServers()}). Between the nodes,
 * every link crosses a {@link TcpProxy} of its own: each node reaches each other controller
 * through a proxy ({@link NodeLinks}), and replica fetches from node {@code a} to node
 * {@code b} cross {@code b}'s proxied listener {@code FROM<a>}. So {@link #isolate(int,
 * TcpProxy.Mode)} cuts one node off its peers while clients still reach it, the partition
 * a production network can have between racks but not between a rack and its clients.
 * <pre class="code">
 * try (KafkaCluster cluster = KafkaCluster.builder().start()) {
 *     cluster.createTopic("events", 1, Map.of());
 *     int leader = cluster.leader("events", 0).orElseThrow();
 *     cluster.broker(leader).kill();
 *     int next = cluster.awaitLeader("events", 0, (node) -&gt; node != leader, Duration.ofSeconds(30));
 * }
 * </pre>
 * Each broker is a {@link KafkaBroker}: stop, kill, pause and restart it as one. Closing the
 * cluster stops every broker and link and deletes a temporary data directory.
 */
public final class KafkaCluster implements AutoCloseable {

	private static final Duration POLL = Duration.ofMillis(100);

	private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

	private final List<KafkaBroker> brokers;

	private final NodeLinks links;

	private final Path dataDir;

	private final boolean deleteDataDir;

	private final Admin admin;

	private boolean closed;

	KafkaCluster(List<KafkaBroker> brokers, NodeLinks links, Path dataDir, boolean deleteDataDir) {
		this.brokers = List.copyOf(brokers);
		this.links = links;
		this.dataDir = dataDir;
		this.deleteDataDir = deleteDataDir;
		// short timeouts: a question to a dead or paused broker must fail over to another soon
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				AdminClientConfig.CLIENT_ID_CONFIG, "kafka-cluster-harness", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
				3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
	}

	/**
	 * Returns a builder for a cluster.
	 * @return a new builder
	 */
	public static KafkaClusterBuilder builder() {
		return new KafkaClusterBuilder();
	}

	/**
	 * Returns the brokers, by node id.
	 * @return the brokers
	 */
	public List<KafkaBroker> brokers() {
		return this.brokers;
	}

	/**
	 * Returns one broker.
	 * @param nodeId its node id, from 1
	 * @return the broker
	 * @throws IllegalArgumentException if there is no such node
	 */
	public KafkaBroker broker(int nodeId) {
		if (nodeId < 1 || nodeId > this.brokers.size()) {
			throw new IllegalArgumentException("nodeId must be 1 to " + this.brokers.size() + ", was " + nodeId);
		}
		return this.brokers.get(nodeId - 1);
	}

	/**
	 * Returns the direct addresses of every broker, for {@code bootstrap.servers}.
	 * @return {@code 127.0.0.1:p1,127.0.0.1:p2,...}
	 */
	public String bootstrapServers() {
		return this.brokers.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
	}

	/**
	 * Returns the data directory ({@code node-<id>} per broker).
	 * @return the directory
	 */
	public Path dataDir() {
		return this.dataDir;
	}

	/**
	 * Creates a topic with the cluster's replication factor (three, or fewer brokers) and
	 * waits until every partition has a leader.
	 * @param topic the topic name
	 * @param partitions the number of partitions
	 * @param configs topic configs such as {@code min.insync.replicas}
	 */
	public void createTopic(String topic, int partitions, Map<String, String> configs) {
		short replicas = (short) Math.min(3, this.brokers.size());
		NewTopic newTopic = new NewTopic(topic, partitions, replicas).configs(configs);
		call("create topic " + topic, () -> this.admin.createTopics(List.of(newTopic)).all().get());
		for (int partition = 0; partition < partitions; partition++) {
			awaitLeader(topic, partition, (node) -> true, Duration.ofSeconds(30));
		}
	}

	/**
	 * Returns the number of partitions of a topic.
	 * @param topic the topic
	 * @return the partition count
	 */
	public int partitionCount(String topic) {
		return describe(topic).partitions().size();
	}

	/**
	 * Returns the current leader of a partition, as the cluster's metadata says.
	 * @param topic the topic
	 * @param partition the partition
	 * @return the leader's node id, or empty while the partition has none
	 */
	public Optional<Integer> leader(String topic, int partition) {
		Node leader = partitionInfo(topic, partition).leader();
		return (leader == null || leader.isEmpty()) ? Optional.empty() : Optional.of(leader.id());
	}

	/**
	 * Returns the replicas of a partition.
	 * @param topic the topic
	 * @param partition the partition
	 * @return their node ids, the preferred leader first
	 */
	public List<Integer> replicas(String topic, int partition) {
		return partitionInfo(topic, partition).replicas().stream().map(Node::id).toList();
	}

	/**
	 * Returns a topic's effective configuration value.
	 * @param topic the topic
	 * @param name the config name, such as {@code min.insync.replicas}
	 * @return the value, or empty if the broker reports none
	 */
	public Optional<String> topicConfig(String topic, String name) {
		ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
		Config config = call("describe the config of topic " + topic,
				() -> this.admin.describeConfigs(List.of(resource)).all().get().get(resource));
		return Optional.ofNullable(config.get(name)).map(ConfigEntry::value);
	}

	/**
	 * Returns the in-sync replicas of a partition.
	 * @param topic the topic
	 * @param partition the partition
	 * @return their node ids
	 */
	public List<Integer> inSyncReplicas(String topic, int partition) {
		return partitionInfo(topic, partition).isr().stream().map(Node::id).toList();
	}

	/**
	 * Waits until a partition has a leader that the predicate accepts, such as one other
	 * than a node just killed. Questions that fail meanwhile (a broker down) are retried.
	 * @param topic the topic
	 * @param partition the partition
	 * @param accept which leaders to accept
	 * @param timeout the longest time to wait
	 * @return the leader's node id
	 * @throws IllegalStateException on timeout
	 */
	public int awaitLeader(String topic, int partition, java.util.function.IntPredicate accept, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		RuntimeException last = null;
		while (System.nanoTime() - deadline < 0) {
			try {
				Optional<Integer> leader = leader(topic, partition);
				if (leader.isPresent() && accept.test(leader.get())) {
					return leader.get();
				}
			}
			catch (RuntimeException ex) {
				last = ex;
			}
			Sleeps.sleep(POLL);
		}
		throw new IllegalStateException("No accepted leader for " + topic + "-" + partition + " within "
				+ timeout.toMillis() + " ms" + ((last != null) ? "; last error: " + last.getMessage() : ""), last);
	}

	/**
	 * Waits until a node is back in the in-sync replicas of every partition it holds, of every
	 * topic including the internal ones: when a rolling restart may take the next broker down.
	 * @param nodeId the node
	 * @param timeout the longest time to wait
	 * @throws IllegalStateException on timeout, naming the partitions still behind
	 */
	public void awaitInSync(int nodeId, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<String> behind = List.of("not asked yet");
		while (System.nanoTime() - deadline < 0) {
			try {
				behind = partitionsBehind(nodeId);
				if (behind.isEmpty()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				behind = List.of(ex.getMessage());
			}
			Sleeps.sleep(POLL);
		}
		throw new IllegalStateException("Node " + nodeId + " did not rejoin the ISR within " + timeout.toMillis()
				+ " ms; behind: " + behind);
	}

	private List<String> partitionsBehind(int nodeId) {
		List<String> behind = new ArrayList<>();
		java.util.Set<String> topics = call("list topics",
				() -> this.admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get());
		Map<String, TopicDescription> descriptions = call("describe topics",
				() -> this.admin.describeTopics(topics).allTopicNames().get());
		for (TopicDescription description : descriptions.values()) {
			for (TopicPartitionInfo info : description.partitions()) {
				boolean replica = info.replicas().stream().anyMatch((node) -> node.id() == nodeId);
				boolean inSync = info.isr().stream().anyMatch((node) -> node.id() == nodeId);
				if (replica && !inSync) {
					behind.add(description.name() + "-" + info.partition());
				}
			}
		}
		return behind;
	}

	/**
	 * Cuts every link between a node and its peers (controller and replication, both ways);
	 * clients still reach it directly.
	 * @param nodeId the node
	 * @param mode how to cut
	 */
	public void isolate(int nodeId, TcpProxy.Mode mode) {
		linksOf(nodeId).forEach((link) -> link.cut(mode));
	}

	/**
	 * Ends an {@link #isolate(int, TcpProxy.Mode) isolation}.
	 * @param nodeId the node
	 */
	public void heal(int nodeId) {
		linksOf(nodeId).forEach(TcpProxy::restore);
	}

	/**
	 * Returns every link between a node and its peers.
	 * @param nodeId the node
	 * @return the proxies: controller links both ways, then replication links both ways
	 */
	public List<TcpProxy> linksOf(int nodeId) {
		broker(nodeId);
		List<TcpProxy> links = new ArrayList<>();
		for (KafkaBroker peer : this.brokers) {
			int peerId = peer.nodeId();
			if (peerId != nodeId) {
				links.add(this.links.controller(nodeId, peerId));
				links.add(this.links.controller(peerId, nodeId));
				links.add(peer.proxy(NodeLinks.replicationListener(nodeId)));
				links.add(broker(nodeId).proxy(NodeLinks.replicationListener(peerId)));
			}
		}
		return links;
	}

	/**
	 * Stops every broker (gracefully, all at once), the links and deletes a temporary data
	 * directory. Safe to call more than once.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.admin.close(Duration.ofSeconds(1));
			// a paused broker would never answer the SIGTERM
			this.brokers.forEach((broker) -> {
				if (broker.isAlive()) {
					broker.resume();
				}
			});
			Parallel.forEach(this.brokers, KafkaBroker::close);
		}
		finally {
			this.links.close();
			if (this.deleteDataDir) {
				Directories.deleteRecursively(this.dataDir);
			}
		}
	}

	@Override
	public String toString() {
		return "KafkaCluster " + bootstrapServers() + " (data " + this.dataDir + ")";
	}

	private TopicPartitionInfo partitionInfo(String topic, int partition) {
		return describe(topic).partitions()
			.stream()
			.filter((info) -> info.partition() == partition)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("topic " + topic + " has no partition " + partition));
	}

	private TopicDescription describe(String topic) {
		return call("describe topic " + topic,
				() -> this.admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic));
	}

	private <T> T call(String what, Question<T> question) {
		try {
			return question.ask();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot " + what + " on " + bootstrapServers() + ": " + ex.getCause(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while trying to " + what, ex);
		}
	}

	/** An admin question, answered by a future. */
	@FunctionalInterface
	private interface Question<T> {

		T ask() throws ExecutionException, InterruptedException;

	}

}
