package dev.failover.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.failover.testkit.Commands;
import dev.failover.testkit.Sleeps;
import dev.failover.cluster.InstanceStatus;
import dev.failover.cluster.SampleCluster;
import dev.failover.cluster.SampleInstance;

/**
 * The cost of failover in an idle service: CPU, memory and threads of an idle primary and
 * an idle secondary, against the same application with failover off, and the records per
 * second failover writes to the heartbeat topic.
 * <p>
 * Three instances of the sample run side by side with the same JVM options, the ledger job
 * off ({@code --sample.ledger.enabled=false}) so that only failover differs: {@code a} and
 * {@code b} form a group; {@code c} runs with {@code --failover.enabled=false}, which opens no
 * failover connection and starts no failover thread: the baseline. (The sample's ledger-tail
 * consumer for its status page runs in all three.) CPU time is read from
 * {@code /proc/<pid>/stat} over two idle windows: one soon after start-up, and a three times
 * longer one from the settle time on (by default ten minutes after the election). The JIT
 * compiler compiles in bursts for minutes (code that runs a few times a second reaches its
 * thresholds one method after another), so the settled window also reports the compiler
 * threads' share.
 * <p>
 * Memory is measured so that neither how far each collector happened to grow or shrink its
 * heap nor how much freed native memory the C library happened to keep mapped counts: each
 * swung the figures by tens of MiB from run to run, between processes that differ in nothing.
 * All three run with the heap fixed at its maximum and touched at start-up
 * ({@link #fixedHeap}), so the heap is resident in full in each. At the end each gets a full
 * collection ({@code jcmd <pid> GC.run}) and gives the native memory that was freed back to
 * the system ({@code jcmd <pid> System.trim_native_heap}; glibc keeps what the JVM freed,
 * mostly at start-up, in its arenas). Their resident sets ({@code VmRSS}) then differ only
 * by what lives outside the heap and is in use: classes, compiled code, thread stacks, native
 * buffers. What failover keeps on the heap is read apart, as the heap in use right after the
 * collection ({@link HeapStats}). The extra memory of failover is the sum of the two
 * differences. The peak ({@code VmHWM}) is reported beside it: it holds the start-up's
 * transient native memory, and that freed memory the C library kept.
 */
final class IdleCostBench {

	/** The heap of the cost runs when the options given set none. */
	static final String DEFAULT_HEAP = "256m";

	private static final Duration GC_TIMEOUT = Duration.ofSeconds(30);

	private final Path sampleJar;

	private final PrintStream out;

	private final List<String> jvm;

	IdleCostBench(Path sampleJar, PrintStream out, List<String> jvm) {
		this.sampleJar = sampleJar;
		this.out = out;
		this.jvm = jvm;
	}

	/**
	 * Measures.
	 * @param warmUp how long to let the instances settle before the first window
	 * @param window the length of the first idle window (the settled one is three times as long)
	 * @param settle when the settled window starts, counted from the pair's election
	 * @return the result
	 */
	Result run(Duration warmUp, Duration window, Duration settle) {
		List<String> jvm = fixedHeap(this.jvm);
		try (SampleCluster cluster = BenchClusters.builder(this.sampleJar, 3, jvm)
			.appArgs(new String[] { "--sample.ledger.enabled=false" })
			.appArgs("c", new String[] { "--failover.enabled=false" })
			.startBroker()) {
			cluster.startInstances();
			SampleInstance a = cluster.instance("a");
			SampleInstance b = cluster.instance("b");
			SampleInstance baseline = cluster.instance("c");
			a.awaitHealthy(BenchClusters.START);
			b.awaitHealthy(BenchClusters.START);
			awaitAnswer(baseline);
			SampleInstance primary = awaitPair(a, b);
			SampleInstance secondary = (primary == a) ? b : a;
			long upAt = System.nanoTime();
			this.out.printf("  '%s' is primary, '%s' secondary, '%s' runs without failover; warming up for %d s%n",
					primary.id(), secondary.id(), baseline.id(), warmUp.toSeconds());
			Sleeps.sleep(warmUp);
			List<SampleInstance> measured = List.of(primary, secondary, baseline);
			this.out.printf("  measuring an idle window of %d s%n", window.toSeconds());
			double earlyFrom = (System.nanoTime() - upAt) / 1e9;
			Window early = measure(measured, window);
			Duration untilSettled = settle.minusNanos(System.nanoTime() - upAt);
			if (!untilSettled.isNegative()) {
				this.out.printf("  waiting %d s for the settled window%n", untilSettled.toSeconds());
				Sleeps.sleep(untilSettled);
			}
			Duration settledWindow = window.multipliedBy(3);
			this.out.printf("  measuring a settled idle window of %d s%n", settledWindow.toSeconds());
			double settledFrom = (System.nanoTime() - upAt) / 1e9;
			// the broker and the topic are reported for the settled window only
			ProcStats brokerBefore = ProcStats.of(cluster.broker().pid());
			long offsetBefore = HeartbeatLog.endOffsetSum(cluster.bootstrapServers());
			Window settled = measure(measured, settledWindow);
			double brokerCpu = ProcStats.of(cluster.broker().pid()).cpuPercentSince(brokerBefore, settled.seconds());
			double recordsPerSecond = (HeartbeatLog.endOffsetSum(cluster.bootstrapServers()) - offsetBefore)
					/ settled.seconds();
			List<ProcStats> beforeGc = new ArrayList<>();
			for (SampleInstance instance : measured) {
				beforeGc.add(ProcStats.of(pid(instance)));
				fullGcAndTrim(pid(instance));
			}
			List<IdleCost> costs = new ArrayList<>();
			String[] labels = { "idle primary", "idle secondary", "baseline: failover off" };
			for (int i = 0; i < measured.size(); i++) {
				long pid = pid(measured.get(i));
				double liveHeap = HeapStats.usedMb(pid);
				costs.add(new IdleCost(labels[i], early.cpu()[i], settled.cpu()[i], settled.compiler()[i],
						beforeGc.get(i).peakRssKb() / 1024.0, ProcStats.of(pid).rssKb() / 1024.0, liveHeap,
						beforeGc.get(i).threads()));
			}
			boolean stillPrimary = primary.status().isPrimary();
			return new Result(costs, brokerCpu, recordsPerSecond, early.seconds(), earlyFrom,
					settled.seconds(), settledFrom, stillPrimary, jvm);
		}
	}

	/**
	 * Returns the JVM options of the cost runs: those given, with the heap's initial size set
	 * to its maximum ({@code -Xmx}, or {@value #DEFAULT_HEAP} when none is given) and every page
	 * of it touched at start-up ({@code -XX:+AlwaysPreTouch}). Such a heap is resident in full
	 * from the start and never shrinks, whatever the collector.
	 * @param jvm the options given
	 * @return the options to run with
	 */
	static List<String> fixedHeap(List<String> jvm) {
		List<String> options = new ArrayList<>(jvm);
		String max = null;
		for (String option : jvm) {
			if (option.startsWith("-Xmx")) {
				// the JVM takes the last one
				max = option.substring("-Xmx".length());
			}
		}
		if (max == null) {
			max = DEFAULT_HEAP;
			options.add("-Xmx" + max);
		}
		options.add("-Xms" + max);
		options.add("-XX:+AlwaysPreTouch");
		return options;
	}

	/** CPU of each process, and its JIT compiler threads' share, over one idle window. */
	private static Window measure(List<SampleInstance> measured, Duration window) {
		List<ProcStats> before = new ArrayList<>();
		long[] compilerBefore = new long[measured.size()];
		for (int i = 0; i < measured.size(); i++) {
			compilerBefore[i] = ProcStats.compilerTicks(pid(measured.get(i)));
			before.add(ProcStats.of(pid(measured.get(i))));
		}
		long started = System.nanoTime();
		Sleeps.sleep(window);
		double seconds = (System.nanoTime() - started) / 1e9;
		double[] cpu = new double[measured.size()];
		double[] compiler = new double[measured.size()];
		for (int i = 0; i < measured.size(); i++) {
			long pid = pid(measured.get(i));
			cpu[i] = ProcStats.of(pid).cpuPercentSince(before.get(i), seconds);
			// a compiler thread that ended meanwhile takes its ticks along: never below zero
			compiler[i] = ProcStats.percent(Math.max(0, ProcStats.compilerTicks(pid) - compilerBefore[i]), seconds);
		}
		return new Window(cpu, compiler, seconds);
	}

	private record Window(double[] cpu, double[] compiler, double seconds) {
	}

	/**
	 * Asks a JVM for a full collection, then to give the native memory it freed back to the
	 * system, with the JDK's own {@code jcmd}.
	 */
	private static void fullGcAndTrim(long pid) {
		Commands.runJdkTool(GC_TIMEOUT, "jcmd", String.valueOf(pid), "GC.run");
		Commands.runJdkTool(GC_TIMEOUT, "jcmd", String.valueOf(pid), "System.trim_native_heap");
	}

	private static long pid(SampleInstance instance) {
		return instance.process().orElseThrow().pid();
	}

	private static void awaitAnswer(SampleInstance instance) {
		long deadline = System.nanoTime() + BenchClusters.START.toNanos();
		while (instance.tryStatus().isEmpty()) {
			if (!instance.isAlive() || System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("'" + instance.id() + "' did not answer");
			}
			Sleeps.sleep(Duration.ofMillis(100));
		}
	}

	/** Waits until one of two instances is primary and the other follows it. */
	private static SampleInstance awaitPair(SampleInstance a, SampleInstance b) {
		long deadline = System.nanoTime() + BenchClusters.SETTLE.toNanos();
		while (System.nanoTime() - deadline < 0) {
			InstanceStatus sa = a.status();
			InstanceStatus sb = b.status();
			if (sa.isPrimary() != sb.isPrimary() && sa.agreesWith(sb)) {
				return sa.isPrimary() ? a : b;
			}
			Sleeps.sleep(Duration.ofMillis(100));
		}
		throw new IllegalStateException("'a' and 'b' did not settle on one primary");
	}

	/**
	 * The result.
	 *
	 * @param costs the primary, the secondary and the baseline
	 * @param brokerCpuPercent the broker's CPU over the settled window, in percent of one core
	 * @param recordsPerSecond records appended to the heartbeat topic per second
	 * @param earlySeconds the length of the window soon after start-up
	 * @param earlyFromSeconds when that window began, counted from the pair's election
	 * @param settledSeconds the settled window's actual length
	 * @param settledFromSeconds when the settled window began, counted from the pair's election
	 * @param stablePrimary whether the primary kept its role throughout
	 * @param jvm the JVM options the three instances ran with
	 */
	record Result(List<IdleCost> costs, double brokerCpuPercent, double recordsPerSecond, double earlySeconds,
			double earlyFromSeconds, double settledSeconds, double settledFromSeconds, boolean stablePrimary,
			List<String> jvm) {

		IdleCost primary() {
			return this.costs.get(0);
		}

		IdleCost secondary() {
			return this.costs.get(1);
		}

		IdleCost baseline() {
			return this.costs.get(2);
		}

	}

}
