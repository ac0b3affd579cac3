package dev.failover.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.failover.testkit.Sleeps;
import dev.failover.cluster.ClusterSnapshot;
import dev.failover.cluster.InstanceStatus;
import dev.failover.cluster.SampleCluster;
import dev.failover.cluster.SampleClusterBuilder;
import dev.failover.cluster.SampleInstance;

/**
 * The demo's steps that start processes: the broker, the instances (until they agree on a
 * primary), and the restart of the crashed instance.
 */
final class StartSteps {

	private static final Duration LOG_WAIT = Duration.ofSeconds(5);

	private final DemoState state;

	private final Console console;

	StartSteps(DemoState state) {
		this.state = state;
		this.console = state.console;
	}

	void startBroker() {
		this.console.step(1, DemoRun.STEPS, "Starting a Kafka broker (KRaft, a single node in its own JVM)");
		Path workDir;
		try {
			workDir = Files.createTempDirectory("failover-demo-");
			this.state.workDir = workDir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a temporary work directory", ex);
		}
		long start = System.nanoTime();
		SampleClusterBuilder builder = SampleCluster.builder()
			.instances(this.state.options.instances())
			.workDir(workDir)
			.keepWorkDir(this.state.options.keep())
			// fast crash detection: a killed primary is replaced on evidence, a paused one is not
			.appArgs(new String[] { "--failover.process-probe.enabled=true", "--failover.process-probe.host=127.0.0.1" });
		if (this.state.options.sampleJar() != null) {
			builder.sampleJar(this.state.options.sampleJar());
		}
		SampleCluster cluster = builder.startBroker();
		this.state.cluster = cluster;
		String took = Format.nanosSince(start);
		this.console.line("broker " + cluster.bootstrapServers() + " up in " + took
				+ " (storage formatted, broker started, ledger topic created)");
		this.console.line("work directory " + workDir + (this.state.options.keep() ? " (kept: --keep)"
				: " (deleted at the end; --keep keeps it)"));
		this.state.record("broker start", cluster.bootstrapServers(), took);
	}

	void startInstances() {
		SampleCluster cluster = this.state.cluster;
		int count = this.state.options.instances();
		this.console.step(2, DemoRun.STEPS, "Starting " + count + " sample instances and waiting for a primary");
		long start = System.nanoTime();
		cluster.startInstances();
		for (SampleInstance instance : cluster.instances()) {
			this.console.line(instance.id() + ": pid " + instance.process().orElseThrow().pid() + ", " + instance.baseUrl()
					+ ", Kafka through its own proxy " + instance.bootstrapServers() + ", log "
					+ cluster.workDir().relativize(instance.logFile()));
		}
		// a table whenever a role, epoch or primary changes; the full demo also shows one every few seconds
		Duration refresh = this.state.options.quick() ? DemoState.START_DEADLINE : Duration.ofSeconds(4);
		long nextTable = System.nanoTime() + refresh.toNanos();
		String shown = null;
		Long allAnswering = null;
		ClusterSnapshot snapshot;
		while (true) {
			snapshot = cluster.snapshot();
			requireAllAlive(cluster);
			if (allAnswering == null
					&& snapshot.observations().stream().allMatch((observation) -> observation.status() != null)) {
				allAnswering = System.nanoTime();
			}
			if (snapshot.singlePrimary().isPresent()) {
				break;
			}
			if (System.nanoTime() - start > DemoState.START_DEADLINE.toNanos()) {
				throw new CheckFailed("no single primary within " + Format.duration(DemoState.START_DEADLINE)
						+ " of the start; the instances reported:\n" + snapshot.describe());
			}
			String described = snapshot.describe();
			if (!described.equals(shown) || System.nanoTime() - nextTable > 0) {
				this.state.table("after " + Format.nanosSince(start), snapshot);
				shown = described;
				nextTable = System.nanoTime() + refresh.toNanos();
			}
			Sleeps.sleep(Duration.ofMillis(100));
		}
		String elected = Format.nanosSince(start);
		long answeredAt = (allAnswering != null) ? allAnswering : System.nanoTime();
		String answering = Format.duration(Duration.ofNanos(answeredAt - start));
		SampleInstance primary = snapshot.singlePrimary().orElseThrow();
		InstanceStatus status = snapshot.of(primary.id()).status();
		this.state.primary = primary;
		this.state.heartbeatInterval = status.heartbeatInterval();
		this.state.heartbeatTimeout = status.heartbeatTimeout();
		this.state.table("after " + elected, snapshot);
		this.console.line("all " + count + " answering after " + answering + "; " + primary.id() + " is primary at epoch "
				+ status.epoch() + " and every instance agrees (" + elected + " after the start)");
		this.console.line("heartbeat every " + Format.duration(this.state.heartbeatInterval) + ", failover after "
				+ Format.duration(this.state.heartbeatTimeout) + " of silence (the sample's application.yml)");
		long writes = this.state.awaitWrites(primary);
		this.console.line(primary.id() + " runs the @PrimaryOnly ledger job: " + Format.records(writes)
				+ " committed so far");
		this.state.primaries.put(status.epoch(), primary.id());
		this.state.record("instances start", count + " answering", answering);
		this.state.record("first primary", primary.id() + " at epoch " + status.epoch(), elected + " after start");
		this.state.hold();
	}

	void restart() {
		SampleInstance instance = this.state.crashed;
		SampleInstance primary = this.state.primary;
		this.console.step(4, DemoRun.STEPS, "Restart " + instance.id() + " (same id, same port)");
		long position = instance.logPosition();
		long start = System.nanoTime();
		instance.start();
		this.console.line("started " + instance.id() + " again: pid " + instance.process().orElseThrow().pid() + ", "
				+ instance.baseUrl());
		instance.awaitHealthy(DemoState.START_DEADLINE);
		SampleInstance settled = this.state.settle();
		String took = Format.nanosSince(start);
		if (settled != primary) {
			throw new CheckFailed("after " + instance.id() + " restarted the group settled on " + settled.id()
					+ " instead of keeping " + primary.id());
		}
		InstanceStatus status = instance.status();
		if (status.isPrimary() || !primary.id().equals(status.primaryId())) {
			throw new CheckFailed(instance.id() + " did not rejoin as a secondary of " + primary.id() + ": "
					+ status.summary());
		}
		this.console.line(instance.id() + " is back as a secondary of " + status.primaryId() + " at epoch " + status.epoch()
				+ ", " + took + " after the restart");
		try {
			this.console.line("its log: joined as secondary: " + instance.awaitJoinedAsSecondary(position, LOG_WAIT));
		}
		catch (IllegalStateException ex) {
			this.console.line("(its log has no 'joined ... as secondary' line)");
		}
		this.state.table("now", this.state.cluster.snapshot());
		this.state.record("rejoin after restart", instance.id() + " secondary of " + primary.id(), took);
	}

	private static void requireAllAlive(SampleCluster cluster) {
		for (SampleInstance instance : cluster.instances()) {
			if (!instance.isAlive()) {
				throw new CheckFailed("instance " + instance.id() + " exited with code "
						+ instance.process().orElseThrow().exitCode().orElse(-1) + " while starting; its log ends with:\n"
						+ instance.process().orElseThrow().logTail(25));
			}
		}
	}

}
