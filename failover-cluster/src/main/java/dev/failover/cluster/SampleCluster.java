package dev.failover.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.failover.testkit.Directories;
import dev.failover.testkit.KafkaBroker;
import dev.failover.testkit.KafkaBrokerBuilder;
import dev.failover.testkit.KafkaCluster;
import dev.failover.testkit.KafkaClusterBuilder;
import dev.failover.testkit.Parallel;
import dev.failover.testkit.Sleeps;
import dev.failover.testkit.TcpProxy;

/**
 * A real failover group on one machine: one standalone Kafka broker and N sample-app
 * processes, each reaching the broker through its own {@link TcpProxy} so that it can be
 * cut off alone (or directly, {@link SampleClusterBuilder#proxied(boolean) without proxies}).
 * <p>
 * The building block of the live demo, the fault suite and the benchmark:
 * <pre class="code">
 * try (SampleCluster cluster = SampleCluster.builder().instances(3).start()) {
 *     SampleInstance primary = cluster.awaitSinglePrimary(Duration.ofSeconds(60));
 *     try (PromotionWatch watch = cluster.watchForPromotion()) {
 *         long start = System.nanoTime();
 *         primary.kill();
 *         Promotion promotion = watch.await(Duration.ofSeconds(30));
 *         System.out.println(promotion.instance().id() + " after " + promotion.since(start).toMillis() + " ms");
 *     }
 *     cluster.cut(cluster.instance("b"));            // b loses the broker, the others keep it
 *     cluster.heal(cluster.instance("b"));
 *     LedgerReport ledger = cluster.checkLedger();   // one writer per epoch, epochs rising
 * }
 * </pre>
 * <p>
 * Layout of the work directory: {@code broker/} (data, {@code server.properties},
 * {@code broker.log}), {@code logs/<id>.log} (the output of every run of each instance) and
 * {@code logs/<id>-roles.jsonl} (its role changes, see {@link RoleLogEntry}), and
 * {@code tmp/<id>} (its temporary files). Instance
 * {@code i} (0-based) uses the proxied listener {@code INST<i+1>}.
 * <p>
 * {@link #close()} stops every process the cluster started; so do Ctrl-C and any other JVM
 * exit (a shutdown hook), and children of a JVM killed outright halt by themselves. The
 * broker is configured with {@code transaction.state.log.replication.factor=1} and
 * {@code transaction.state.log.min.isr=1}, which the ledger's transactions need on one broker.
 * <p>
 * With {@link SampleClusterBuilder#brokers(int) brokers(3)} the group runs on a
 * {@link KafkaCluster} in production shape instead (replication factor 3,
 * {@code min.insync.replicas} 2, also for the ledger), its data in {@code brokers/}; the
 * instances then connect to every broker directly, and network faults are cut between the
 * brokers ({@link KafkaCluster#isolate}).
 */
public final class SampleCluster implements AutoCloseable {

	private static final Duration SETTLE_POLL = Duration.ofMillis(50);

	// exactly one of the two: a standalone broker, or a cluster of several
	private final KafkaBroker broker;

	private final KafkaCluster kafkaCluster;

	private final List<SampleInstance> instances;

	private final Path workDir;

	private final String ledgerTopic;

	private final Duration stopTimeout;

	private final Duration pollInterval;

	private final ExecutorService observers;

	private final Thread shutdownHook;

	private volatile boolean keepWorkDir;

	private boolean closed;

	private SampleCluster(KafkaBroker broker, KafkaCluster kafkaCluster, List<SampleInstance> instances, Path workDir,
			boolean keepWorkDir, SampleClusterBuilder builder) {
		this.broker = broker;
		this.kafkaCluster = kafkaCluster;
		this.instances = List.copyOf(instances);
		this.workDir = workDir;
		this.keepWorkDir = keepWorkDir;
		this.ledgerTopic = builder.ledgerTopic;
		this.stopTimeout = builder.stopTimeout;
		this.pollInterval = builder.pollInterval;
		AtomicInteger threads = new AtomicInteger();
		this.observers = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "sample-cluster-observer-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		// close() from a hook too: the testkit's own hook kills the processes, but only this one deletes the work dir
		this.shutdownHook = new Thread(this::close, "sample-cluster-close");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Returns a builder for a cluster.
	 * @return a new builder
	 */
	public static SampleClusterBuilder builder() {
		return new SampleClusterBuilder();
	}

	static SampleCluster create(SampleClusterBuilder builder) {
		Path jar = (builder.sampleJar != null) ? builder.sampleJar : SampleJar.locate();
		Path dir;
		try {
			dir = (builder.workDir != null) ? Files.createDirectories(builder.workDir)
					: Files.createTempDirectory("failover-cluster-");
			Files.createDirectories(dir.resolve("logs"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the work directory " + builder.workDir, ex);
		}
		boolean keep = (builder.keepWorkDir != null) ? builder.keepWorkDir : builder.workDir != null;
		if (builder.brokers > 1) {
			return createOnCluster(builder, jar, dir, keep);
		}
		KafkaBrokerBuilder brokerBuilder = KafkaBroker.builder()
			.dataDir(dir.resolve("broker"))
			// the cluster deletes its whole work directory itself
			.keepDataDir(true)
			// the ledger is written in transactions: one broker must be enough for the transaction log
			.property("transaction.state.log.replication.factor", "1")
			.property("transaction.state.log.min.isr", "1");
		if (builder.proxied()) {
			for (int i = 0; i < builder.ids.size(); i++) {
				brokerBuilder.proxiedListener(listenerName(i));
			}
		}
		builder.brokerProperties.forEach(brokerBuilder::property);
		if (builder.brokerClasspath != null) {
			brokerBuilder.classpath(builder.brokerClasspath);
		}
		KafkaBroker broker;
		try {
			broker = brokerBuilder.start();
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("The Kafka broker did not start (work directory " + dir + " kept): "
					+ ex.getMessage(), ex);
		}
		try {
			broker.createTopic(builder.ledgerTopic, 1);
			List<SampleInstance> instances = instances(builder, jar, dir, (i) -> builder.proxied()
					? broker.bootstrapServers(listenerName(i)) : broker.bootstrapServers());
			return new SampleCluster(broker, null, instances, dir, keep, builder);
		}
		catch (RuntimeException ex) {
			broker.close();
			throw ex;
		}
	}

	private static SampleCluster createOnCluster(SampleClusterBuilder builder, Path jar, Path dir, boolean keep) {
		KafkaClusterBuilder clusterBuilder = KafkaCluster.builder()
			.brokers(builder.brokers)
			.dataDir(dir.resolve("brokers"))
			// the cluster deletes its whole work directory itself
			.keepDataDir(true);
		builder.brokerProperties.forEach(clusterBuilder::property);
		if (builder.brokerClasspath != null) {
			clusterBuilder.classpath(builder.brokerClasspath);
		}
		KafkaCluster kafka;
		try {
			kafka = clusterBuilder.start();
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("The Kafka cluster did not start (work directory " + dir + " kept): "
					+ ex.getMessage(), ex);
		}
		try {
			// as durable as the heartbeat topic the starter creates on three brokers
			kafka.createTopic(builder.ledgerTopic, 1, Map.of("min.insync.replicas", (builder.brokers >= 3) ? "2" : "1"));
			List<SampleInstance> instances = instances(builder, jar, dir, (i) -> kafka.bootstrapServers());
			return new SampleCluster(null, kafka, instances, dir, keep, builder);
		}
		catch (RuntimeException ex) {
			kafka.close();
			throw ex;
		}
	}

	private static List<SampleInstance> instances(SampleClusterBuilder builder, Path jar, Path dir,
			java.util.function.IntFunction<String> bootstrapServers) {
		List<SampleInstance> instances = new ArrayList<>();
		for (int i = 0; i < builder.ids.size(); i++) {
			String id = builder.ids.get(i);
			List<String> appArgs = new ArrayList<>(builder.appArgs);
			if (!LedgerCheck.DEFAULT_TOPIC.equals(builder.ledgerTopic)) {
				appArgs.add("--sample.ledger.topic=" + builder.ledgerTopic);
			}
			appArgs.addAll(builder.instanceAppArgs.getOrDefault(id, List.of()));
			SampleInstanceBuilder instance = SampleInstance.builder(id).bootstrapServers(bootstrapServers.apply(i));
			if (builder.proxied()) {
				instance.listener(listenerName(i));
			}
			instances.add(instance.jar(jar)
				.jvmArgs(builder.jvmArgs)
				.appArgs(appArgs)
				.workingDirectory(dir)
				.logFile(dir.resolve("logs").resolve(id + ".log"))
				.roleLogFile(dir.resolve("logs").resolve(id + "-roles.jsonl"))
				.requestTimeout(builder.requestTimeout)
				.build());
		}
		return instances;
	}

	private static String listenerName(int index) {
		return "INST" + (index + 1);
	}

	/**
	 * Returns the broker, for broker faults (stop, kill, pause, restart) and its log.
	 * @return the broker
	 * @throws IllegalStateException if the group runs on several brokers (see {@link #kafkaCluster()})
	 */
	public KafkaBroker broker() {
		if (this.broker == null) {
			throw new IllegalStateException("this group runs on " + this.kafkaCluster.brokers().size()
					+ " brokers; use kafkaCluster()");
		}
		return this.broker;
	}

	/**
	 * Returns the brokers when the group runs on several.
	 * @return the cluster
	 * @throws IllegalStateException if the group runs on one standalone broker (see {@link #broker()})
	 */
	public KafkaCluster kafkaCluster() {
		if (this.kafkaCluster == null) {
			throw new IllegalStateException("this group runs on one standalone broker; use broker()");
		}
		return this.kafkaCluster;
	}

	/**
	 * Returns the brokers' direct addresses, for the harness's own clients (never cut).
	 * @return {@code 127.0.0.1:port}, or several, comma-separated
	 */
	public String bootstrapServers() {
		return (this.broker != null) ? this.broker.bootstrapServers() : this.kafkaCluster.bootstrapServers();
	}

	/**
	 * Returns the instances, in order.
	 * @return the instances
	 */
	public List<SampleInstance> instances() {
		return this.instances;
	}

	/**
	 * Returns one instance.
	 * @param id the instance id
	 * @return the instance
	 * @throws IllegalArgumentException if there is no such instance
	 */
	public SampleInstance instance(String id) {
		return this.instances.stream()
			.filter((instance) -> instance.id().equals(id))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("id " + id + " is not an instance of this cluster; ids are "
					+ this.instances.stream().map(SampleInstance::id).toList()));
	}

	/**
	 * Returns the work directory.
	 * @return the directory
	 */
	public Path workDir() {
		return this.workDir;
	}

	/**
	 * Returns the log file of every instance and of the broker.
	 * @return name (instance id, or {@code broker}) to log file
	 */
	public Map<String, Path> logFiles() {
		Map<String, Path> logs = new LinkedHashMap<>();
		this.instances.forEach((instance) -> logs.put(instance.id(), instance.logFile()));
		if (this.broker != null) {
			logs.put("broker", this.broker.logFile());
		}
		else {
			this.kafkaCluster.brokers().forEach((node) -> logs.put("broker-" + node.nodeId(), node.logFile()));
		}
		return logs;
	}

	/**
	 * Returns the ledger topic.
	 * @return the topic
	 */
	public String ledgerTopic() {
		return this.ledgerTopic;
	}

	/**
	 * Sets whether {@link #close()} keeps the work directory, for example after a failure
	 * whose logs should be read.
	 * @param keep whether to keep it
	 */
	public void keepWorkDir(boolean keep) {
		this.keepWorkDir = keep;
	}

	/**
	 * Returns whether {@link #close()} keeps the work directory.
	 * @return {@code true} if it is kept
	 */
	public boolean keepsWorkDir() {
		return this.keepWorkDir;
	}

	/**
	 * Starts every instance that is not running, all at once, and returns without waiting.
	 */
	public void startInstances() {
		for (SampleInstance instance : this.instances) {
			if (!instance.isAlive()) {
				instance.start();
			}
		}
	}

	/**
	 * Waits until every running instance is {@linkplain SampleInstance#awaitHealthy healthy}.
	 * @param timeout the longest time to wait in all
	 * @throws IllegalStateException if one is not healthy in time or exits
	 */
	public void awaitHealthy(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (SampleInstance instance : this.instances) {
			if (instance.isAlive()) {
				instance.awaitHealthy(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1)));
			}
		}
	}

	/**
	 * Asks every instance for its status, in parallel.
	 * @return the snapshot
	 */
	public ClusterSnapshot snapshot() {
		List<CompletableFuture<ClusterSnapshot.Observation>> futures = new ArrayList<>();
		for (SampleInstance instance : this.instances) {
			futures.add(CompletableFuture.supplyAsync(() -> observe(instance), this.observers));
		}
		List<ClusterSnapshot.Observation> observations = futures.stream().map(CompletableFuture::join).toList();
		return new ClusterSnapshot(Instant.now(), observations);
	}

	private ClusterSnapshot.Observation observe(SampleInstance instance) {
		boolean cut = isCut(instance);
		if (!instance.isAlive()) {
			return new ClusterSnapshot.Observation(instance, ClusterSnapshot.State.STOPPED, cut, null);
		}
		if (instance.isPaused()) {
			return new ClusterSnapshot.Observation(instance, ClusterSnapshot.State.PAUSED, cut, null);
		}
		return instance.tryStatus()
			.map((status) -> new ClusterSnapshot.Observation(instance, ClusterSnapshot.State.ANSWERING, cut, status))
			.orElseGet(() -> new ClusterSnapshot.Observation(instance, ClusterSnapshot.State.NOT_ANSWERING, cut, null));
	}

	/**
	 * Returns the primary if the group has settled right now; see
	 * {@link ClusterSnapshot#singlePrimary()}.
	 * @return the single primary, or empty
	 */
	public Optional<SampleInstance> primary() {
		return snapshot().singlePrimary();
	}

	/**
	 * Waits until the group has settled on a single primary: exactly one instance reports
	 * itself primary and every live instance (running, not paused, not cut) agrees on that
	 * primary and its epoch.
	 * @param timeout the longest time to wait
	 * @return the primary
	 * @throws IllegalStateException on timeout; the message says what each instance reported
	 */
	public SampleInstance awaitSinglePrimary(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			ClusterSnapshot snapshot = snapshot();
			Optional<SampleInstance> primary = snapshot.singlePrimary();
			if (primary.isPresent()) {
				return primary.get();
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("The group did not settle on a single primary within " + timeout.toMillis()
						+ " ms; instances reported:\n" + snapshot.describe());
			}
			Sleeps.sleep(SETTLE_POLL);
		}
	}

	/**
	 * Starts a fast poller that reports the first primary with an epoch above the highest
	 * one any instance reports now.
	 * @return the running watch; close it when done
	 */
	public PromotionWatch watchForPromotion() {
		long epoch = snapshot().observations()
			.stream()
			.filter((observation) -> observation.status() != null)
			.mapToLong((observation) -> observation.status().epoch())
			.max()
			.orElse(0);
		return watchForPromotion(epoch);
	}

	/**
	 * Starts a fast poller that reports the first primary with an epoch above the given one.
	 * @param afterEpoch the baseline epoch
	 * @return the running watch; close it when done
	 */
	public PromotionWatch watchForPromotion(long afterEpoch) {
		return new PromotionWatch(this.instances, afterEpoch, this.pollInterval);
	}

	/**
	 * Cuts an instance off the broker ({@link TcpProxy.Mode#REFUSE}: its connections fail
	 * at once). Other instances and the harness keep their connections.
	 * @param instance the instance
	 */
	public void cut(SampleInstance instance) {
		cut(instance, TcpProxy.Mode.REFUSE);
	}

	/**
	 * Cuts an instance off the broker in the given mode ({@link TcpProxy.Mode#BLACKHOLE}
	 * for a hung network).
	 * @param instance the instance
	 * @param mode how to cut
	 */
	public void cut(SampleInstance instance, TcpProxy.Mode mode) {
		proxyOf(instance).cut(mode);
	}

	/**
	 * Ends a cut of an instance.
	 * @param instance the instance
	 */
	public void heal(SampleInstance instance) {
		proxyOf(instance).restore();
	}

	/**
	 * Returns whether an instance is cut off the broker.
	 * @param instance the instance
	 * @return {@code true} while cut; always {@code false} without proxies
	 */
	public boolean isCut(SampleInstance instance) {
		if (instance.listener().isEmpty() && this.instances.contains(instance)) {
			// connected directly: never cut
			return false;
		}
		return proxyOf(instance).cutMode().isPresent();
	}

	/**
	 * Returns the proxy between an instance and the broker.
	 * @param instance the instance
	 * @return the proxy
	 * @throws IllegalArgumentException if the instance is not part of this cluster
	 */
	public TcpProxy proxyOf(SampleInstance instance) {
		if (!this.instances.contains(instance)) {
			throw new IllegalArgumentException("instance " + instance + " is not part of this cluster");
		}
		return broker().proxy(instance.listener()
			.orElseThrow(() -> new IllegalStateException("instance " + instance.id()
					+ " connects to the broker directly (the cluster was built with proxied(false)), so it cannot be cut")));
	}

	/**
	 * Reads the whole ledger (committed records only) and checks it.
	 * @return the report
	 */
	public LedgerReport checkLedger() {
		return LedgerCheck.read(bootstrapServers(), this.ledgerTopic, Duration.ofSeconds(30));
	}

	/**
	 * Stops every instance (gracefully, in parallel, each killed after the stop timeout),
	 * then the broker, and deletes the work directory unless it is kept. Safe to call more
	 * than once, and from any thread.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			try {
				Parallel.forEach(this.instances, (instance) -> instance.terminate(this.stopTimeout));
			}
			finally {
				if (this.broker != null) {
					this.broker.close();
				}
				else {
					this.kafkaCluster.close();
				}
			}
		}
		finally {
			this.observers.shutdownNow();
			if (!this.keepWorkDir) {
				Directories.deleteRecursively(this.workDir);
			}
			removeShutdownHook();
		}
	}

	private void removeShutdownHook() {
		if (Thread.currentThread() == this.shutdownHook) {
			return;
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is already shutting down: the hook runs and finds the cluster closed
		}
	}

	@Override
	public String toString() {
		return "SampleCluster " + this.instances.stream().map(SampleInstance::id).toList() + " on "
				+ bootstrapServers() + " (work dir " + this.workDir + ")";
	}

}
