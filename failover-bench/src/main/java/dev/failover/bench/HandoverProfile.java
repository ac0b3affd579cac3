package dev.failover.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.failover.core.FailoverConfig;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.kafka.KafkaClientOverrides;
import dev.failover.kafka.KafkaTransport;
import dev.failover.kafka.KafkaTransportOptions;
import dev.failover.testkit.KafkaBroker;
import dev.failover.testkit.Sleeps;

/**
 * A profile of one graceful handover, phase by phase, without Spring and without HTTP:
 * three core watchers in this JVM, each on a Kafka transport of its own (as three processes
 * would have), on a standalone broker, 1 s / 3 s. Every transport is wrapped so that the
 * moment the leaving primary hands its shutdown notice to the transport, the broker's
 * acknowledgement and the delivery to the successor are all dated. Every heartbeat of the
 * whole run is dated too, from being handed to the transport to its acknowledgement: the
 * notice's path when nothing else is happening.
 * <p>
 * This is the floor under the process-level figures: what the protocol and Kafka take on
 * this machine, cold and warm. Run it with {@code scripts/benchmark.sh --profile-handover [runs]
 * [warm-up] [proxied]}; {@code proxied} sends every watcher through a testkit TCP proxy, as
 * the sample instances of a cluster are.
 * <pre>
 * request  ─► demotion ─► notice handed to transport ─► delivered to successor ─► promotion
 *           (a)          (b: demote callbacks,         (c: producer, broker,     (d: successor's
 *                         listeners, announce)          successor's fetch)         event loop)
 * </pre>
 */
public final class HandoverProfile {

	private static final String GROUP = "profile";

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final PrintStream out;

	private final List<TimingTransport.Event> events = TimingTransport.newEventList();

	private final BlockingQueue<RoleChange> changes = new LinkedBlockingQueue<>();

	HandoverProfile(PrintStream out) {
		this.out = out;
	}

	public static void main(String[] args) {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 40;
		int warmUp = (args.length > 1) ? Integer.parseInt(args[1]) : 60;
		boolean proxied = args.length > 2 && "proxied".equals(args[2]);
		new HandoverProfile(System.out).run(runs, warmUp, proxied).forEach((timing) -> System.out.printf(
				"%-62s p50 %8s  p90 %8s  max %8s%n", timing.name(), Samples.format(timing.samples().p50()),
				Samples.format(timing.samples().p90()), Samples.format(timing.samples().max())));
		System.exit(0);
	}

	/**
	 * Runs cold handovers (the first ones), warms up, then measures warm ones.
	 * @param runs measured warm handovers
	 * @param warmUp unmeasured handovers in between
	 * @param proxied whether each watcher reaches the broker through a TCP proxy of the
	 * testkit, as the instances of a {@link dev.failover.cluster.SampleCluster} do
	 * @return the phases of the cold runs, then of the warm runs
	 */
	List<Timing> run(int runs, int warmUp, boolean proxied) {
		FailoverConfig config = FailoverConfig.builder()
			.enabled(true)
			.heartbeatInterval(Duration.ofSeconds(1))
			.heartbeatTimeout(Duration.ofSeconds(3))
			.build();
		List<KafkaTransport> transports = new ArrayList<>();
		Map<String, Watcher> watchers = new LinkedHashMap<>();
		List<String> ids = List.of("p", "q", "r");
		dev.failover.testkit.KafkaBrokerBuilder builder = KafkaBroker.builder();
		if (proxied) {
			ids.forEach((id) -> builder.proxiedListener(id.toUpperCase()));
		}
		try (KafkaBroker broker = builder.start()) {
			for (String id : ids) {
				KafkaTransport transport = new KafkaTransport(KafkaTransportOptions.builder()
					.bootstrapServers(proxied ? broker.bootstrapServers(id.toUpperCase()) : broker.bootstrapServers())
					.producerConfig(KafkaClientOverrides.producer(config.heartbeatInterval(), config.heartbeatTimeout()))
					.consumerConfig(KafkaClientOverrides.consumer(config.heartbeatInterval(), config.heartbeatTimeout()))
					.clientIdPrefix("profile-" + id)
					.ensureTopicOnFirstRead(true)
					.build());
				transports.add(transport);
				Watcher watcher = Watcher.builder()
					.group(GROUP)
					.instanceId(id)
					.transport(new TimingTransport(id, transport, this.events))
					.config(config)
					.listener(this.changes::add)
					.build();
				watchers.put(id, watcher);
			}
			watchers.values().forEach(Watcher::start);
			awaitPrimary(watchers, 0);
			Sleeps.sleep(Duration.ofSeconds(3));
			List<Timing> cold = phases("cold (first 5 handovers)");
			measure(watchers, 5, cold);
			this.out.printf("  warming up with %d handovers%n", warmUp);
			measure(watchers, warmUp, phases("warm-up"));
			List<Timing> warm = phases("warm");
			measure(watchers, runs, warm);
			List<Timing> all = new ArrayList<>(cold);
			all.addAll(warm);
			all.add(heartbeatAcks());
			return all;
		}
		finally {
			watchers.values().forEach(Watcher::closeAbruptly);
			transports.forEach(KafkaTransport::close);
		}
	}

	private static List<Timing> phases(String label) {
		String[] names = { "total: request to promotion", "(a) request to demotion",
				"(b) demotion to notice handed to the transport", "(c) handed to the transport to delivered to successor",
				"    of which: handed to the transport to broker ack (leaving side)", "(d) delivered to promotion" };
		List<Timing> timings = new ArrayList<>();
		for (String name : names) {
			timings.add(Timing.of(label + ": " + name, "", ""));
		}
		return timings;
	}

	private void measure(Map<String, Watcher> watchers, int runs, List<Timing> into) {
		for (int run = 0; run < runs; run++) {
			Watcher primary = awaitPrimary(watchers, 0);
			long epoch = primary.epoch();
			BenchClusters.randomPhase(Duration.ofMillis(500));
			this.changes.clear();
			int mark = this.events.size();
			Instant requested = Instant.now();
			primary.stepDown();
			RoleChange promotion = awaitChange(true, epoch);
			RoleChange demotion = this.changes.stream()
				.filter((change) -> change.isDemotion() && change.instanceId().equals(primary.instanceId()))
				.findFirst()
				.orElseGet(() -> awaitChange(false, epoch - 1));
			// a snapshot first: a sublist of the live list fails once a heartbeat is added meanwhile
			List<TimingTransport.Event> snapshot = List.copyOf(this.events);
			List<TimingTransport.Event> seen = snapshot.subList(mark, snapshot.size());
			Instant handed = find(seen, primary.instanceId(), TimingTransport.Kind.PUBLISH).orElseThrow();
			Instant acked = find(seen, primary.instanceId(), TimingTransport.Kind.ACKNOWLEDGED).orElse(handed);
			Instant delivered = find(seen, promotion.instanceId(), TimingTransport.Kind.DELIVERED).orElseThrow();
			Instant[] marks = { requested, demotion.at(), handed, delivered, promotion.at() };
			into.get(0).samples().add(Duration.between(requested, promotion.at()));
			for (int i = 0; i < 3; i++) {
				into.get(i + 1).samples().add(Duration.between(marks[i], marks[i + 1]));
			}
			into.get(4).samples().add(Duration.between(handed, acked));
			into.get(5).samples().add(Duration.between(delivered, promotion.at()));
			awaitPrimary(watchers, epoch + 1);
			Sleeps.sleep(Duration.ofMillis(300));
		}
	}

	/**
	 * Times every heartbeat from being handed to the transport to its acknowledgement: the
	 * same path as a shutdown notice's, taken when nothing else is happening.
	 */
	private Timing heartbeatAcks() {
		Timing timing = Timing.of("all runs: heartbeat handed to the transport to broker ack", "", "");
		Map<String, Instant> handed = new LinkedHashMap<>();
		for (TimingTransport.Event event : List.copyOf(this.events)) {
			if (!"HEARTBEAT".equals(event.type())) {
				continue;
			}
			if (event.kind() == TimingTransport.Kind.PUBLISH) {
				handed.put(event.watcher(), event.at());
			}
			else if (event.kind() == TimingTransport.Kind.ACKNOWLEDGED && handed.containsKey(event.watcher())) {
				timing.samples().add(Duration.between(handed.remove(event.watcher()), event.at()));
			}
		}
		return timing;
	}

	private static Optional<Instant> find(List<TimingTransport.Event> events, String watcher, TimingTransport.Kind kind) {
		return events.stream()
			.filter((event) -> event.watcher().equals(watcher) && event.kind() == kind && "SHUTDOWN".equals(event.type()))
			.map(TimingTransport.Event::at)
			.findFirst();
	}

	private RoleChange awaitChange(boolean promotion, long afterEpoch) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		List<RoleChange> skipped = new ArrayList<>();
		try {
			while (System.nanoTime() - deadline < 0) {
				RoleChange change = this.changes.poll(10, TimeUnit.MILLISECONDS);
				if (change == null) {
					continue;
				}
				skipped.add(change);
				if (change.isPromotion() == promotion && change.epoch() > afterEpoch) {
					this.changes.addAll(skipped);
					return change;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		throw new IllegalStateException("No " + (promotion ? "promotion" : "demotion") + " above epoch " + afterEpoch);
	}

	private static Watcher awaitPrimary(Map<String, Watcher> watchers, long minEpoch) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() - deadline < 0) {
			List<Watcher> primaries = watchers.values().stream().filter(Watcher::isPrimary).toList();
			if (primaries.size() == 1 && primaries.get(0).epoch() >= minEpoch
					&& watchers.values().stream().allMatch((w) -> w.epoch() == primaries.get(0).epoch())) {
				return primaries.get(0);
			}
			Sleeps.sleep(Duration.ofMillis(5));
		}
		throw new IllegalStateException("The profile group did not settle on one primary");
	}

}
