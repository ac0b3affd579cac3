package dev.failover.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.failover.testkit.TextTable;

/**
 * What the benchmark found, as Markdown ({@code benchmark.md}, the README's table) and JSON
 * ({@code benchmark.json}, every sample).
 */
final class BenchReport {

	private final String header;

	private final List<Timing> timings = new ArrayList<>();

	private final List<Timing> scale = new ArrayList<>();

	private final List<String[]> targets = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private IdleCostBench.Result cost;

	private final List<GroupsBench.Result> groups = new ArrayList<>();

	BenchReport(String header) {
		this.header = header;
	}

	void timings(List<Timing> timings) {
		this.timings.addAll(timings);
	}

	void scale(Timing timing) {
		this.scale.add(timing);
	}

	void cost(IdleCostBench.Result cost) {
		this.cost = cost;
	}

	void groups(GroupsBench.Result groups) {
		this.groups.add(groups);
		this.scale.add(groups.single());
		this.scale.add(groups.burst());
	}

	List<Timing> timings() {
		return List.copyOf(this.timings);
	}

	List<Timing> scaleTimings() {
		return List.copyOf(this.scale);
	}

	IdleCostBench.Result cost() {
		return this.cost;
	}

	void target(String what, String target, String measured, boolean met) {
		this.targets.add(new String[] { what, target, measured, met ? "met" : "MISSED" });
	}

	void note(String note) {
		this.notes.add(note);
	}

	/**
	 * Renders the Markdown report.
	 * @return the text
	 */
	String markdown() {
		StringBuilder out = new StringBuilder("# Failover benchmark\n\n").append(this.header).append("\n");
		if (!this.timings.isEmpty()) {
			out.append("\n## Failover and handover times\n\n").append(table(this.timings, true).markdown()).append("\n");
		}
		if (this.cost != null) {
			out.append("\n## Cost of an idle instance\n\n").append(costTable().markdown()).append("\n\n")
				.append(String.format(Locale.ROOT,
						"Windows: soon after start-up, %.0f s from %.0f s after the election; settled, %.0f s from %.0f s "
								+ "after it. Heartbeat topic: %.2f records/s with one primary and one secondary (settled "
								+ "window; broker CPU %.2f %% of a core for everything it served).%n",
						this.cost.earlySeconds(), this.cost.earlyFromSeconds(), this.cost.settledSeconds(),
						this.cost.settledFromSeconds(), this.cost.recordsPerSecond(), this.cost.brokerCpuPercent()))
				.append(String.format(Locale.ROOT,
						"%nAll three run with `%s`: each heap is resident in full from the start and never shrinks. "
								+ "At the end each gets a full GC and gives the native memory it freed back to the system "
								+ "(`jcmd <pid> System.trim_native_heap`). Their RSS then differs by what is in use "
								+ "outside the heap (classes, compiled code, thread stacks, native buffers), and the live "
								+ "heap by the objects each keeps. The extra memory of failover is the sum of the two "
								+ "differences. The peak holds start-up's transient native memory, and whatever of it "
								+ "the C library kept after it was freed.%n",
						String.join(" ", this.cost.jvm())));
		}
		if (!this.scale.isEmpty()) {
			out.append("\n## Scale\n\n").append(table(this.scale, false).markdown()).append("\n");
			for (GroupsBench.Result result : this.groups) {
				GroupsBench.Idle idle = result.idle();
				out.append(String.format(Locale.ROOT,
						"%n%d groups (%d watchers in one JVM) on a topic of %d partition(s), idle: %.1f %% of a core for all "
								+ "watchers (%.2f %% per watcher), broker %.1f %%, %.0f records/s, %d threads; promotions in "
								+ "groups that were not crashed: %d.%n",
						result.groups(), 2 * result.groups(), result.partitions(), idle.cpuPercent(),
						idle.cpuPercent() / (2 * result.groups()), idle.brokerCpuPercent(), idle.recordsPerSecond(),
						idle.threads(), result.disturbed()));
			}
		}
		if (!this.targets.isEmpty()) {
			TextTable table = new TextTable("target", "goal", "measured", "");
			this.targets.forEach(table::row);
			out.append("\n## Targets\n\n").append(table.markdown()).append("\n");
		}
		if (!this.notes.isEmpty()) {
			out.append("\n## Notes\n\n");
			this.notes.forEach((note) -> out.append("- ").append(note).append("\n"));
		}
		return out.toString();
	}

	/**
	 * Renders every sample and figure as JSON.
	 * @return the text
	 */
	String json() {
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("header", this.header);
		root.put("timings", this.timings.stream().map(BenchReport::timingJson).toList());
		root.put("scale", this.scale.stream().map(BenchReport::timingJson).toList());
		if (this.cost != null) {
			Map<String, Object> cost = new LinkedHashMap<>();
			cost.put("processes", this.cost.costs());
			cost.put("brokerCpuPercent", this.cost.brokerCpuPercent());
			cost.put("recordsPerSecond", this.cost.recordsPerSecond());
			cost.put("earlyWindowSeconds", this.cost.earlySeconds());
			cost.put("earlyWindowFromSeconds", this.cost.earlyFromSeconds());
			cost.put("settledWindowSeconds", this.cost.settledSeconds());
			cost.put("settledWindowFromSeconds", this.cost.settledFromSeconds());
			cost.put("primaryStable", this.cost.stablePrimary());
			cost.put("jvm", this.cost.jvm());
			root.put("idleCost", cost);
		}
		root.put("groups", this.groups.stream().map((result) -> Map.of("groups", result.groups(), "partitions",
				result.partitions(), "idle", result.idle(), "disturbed", result.disturbed())).toList());
		root.put("targets", this.targets.stream().map((row) -> Map.of("target", row[0], "goal", row[1], "measured", row[2],
				"met", "met".equals(row[3]))).toList());
		root.put("notes", this.notes);
		return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(root);
	}

	/**
	 * Writes {@code benchmark.md} and {@code benchmark.json}.
	 * @param dir the directory
	 * @return the Markdown file
	 */
	Path write(Path dir) {
		try {
			Files.createDirectories(dir);
			Path markdown = dir.resolve("benchmark.md");
			Files.writeString(markdown, markdown(), StandardCharsets.UTF_8);
			Files.writeString(dir.resolve("benchmark.json"), json(), StandardCharsets.UTF_8);
			return markdown;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the report to " + dir, ex);
		}
	}

	private static TextTable table(List<Timing> timings, boolean p99) {
		TextTable table = p99 ? new TextTable("series", "runs", "p50", "p90", "p99", "max", "clock starts", "clock stops")
				: new TextTable("series", "runs", "p50", "p90", "max", "clock starts", "clock stops");
		for (Timing timing : timings) {
			Samples samples = timing.samples();
			if (samples.count() == 0) {
				continue;
			}
			List<String> cells = new ArrayList<>(List.of(timing.name(), String.valueOf(samples.count()),
					Samples.format(samples.p50()), Samples.format(samples.p90())));
			if (p99) {
				cells.add(Samples.format(samples.p99()));
			}
			cells.addAll(List.of(Samples.format(samples.max()), timing.clockStarts(), timing.clockStops()));
			table.row(cells.toArray(String[]::new));
		}
		return table;
	}

	private TextTable costTable() {
		TextTable table = new TextTable("process", "CPU soon after start-up, % of one core", "CPU settled, % of one core",
				"of which JIT compiler", "peak RSS (VmHWM)", "RSS after GC and trim", "live heap after GC", "threads");
		List<IdleCost> rows = new ArrayList<>(this.cost.costs());
		rows.add(this.cost.primary().minus("primary minus baseline", this.cost.baseline()));
		rows.add(this.cost.secondary().minus("secondary minus baseline", this.cost.baseline()));
		for (IdleCost cost : rows) {
			table.row(cost.label(), String.format(Locale.ROOT, "%.2f %%", cost.earlyCpuPercent()),
					String.format(Locale.ROOT, "%.2f %%", cost.settledCpuPercent()),
					String.format(Locale.ROOT, "%.2f %%", cost.settledCompilerPercent()),
					String.format(Locale.ROOT, "%.1f MiB", cost.peakRssMb()),
					String.format(Locale.ROOT, "%.1f MiB", cost.rssMb()),
					String.format(Locale.ROOT, "%.1f MiB", cost.liveHeapMb()), String.valueOf(cost.threads()));
		}
		return table;
	}

	private static Map<String, Object> timingJson(Timing timing) {
		Map<String, Object> json = new LinkedHashMap<>();
		Samples samples = timing.samples();
		json.put("name", timing.name());
		json.put("clockStarts", timing.clockStarts());
		json.put("clockStops", timing.clockStops());
		json.put("runs", samples.count());
		if (samples.count() > 0) {
			json.put("p50Ms", millis(samples.p50()));
			json.put("p90Ms", millis(samples.p90()));
			json.put("p99Ms", millis(samples.p99()));
			json.put("maxMs", millis(samples.max()));
			json.put("minMs", millis(samples.min()));
			json.put("meanMs", millis(samples.mean()));
		}
		json.put("samplesMs", samples.millis());
		return json;
	}

	private static double millis(Duration duration) {
		return duration.toNanos() / 1e6;
	}

}
