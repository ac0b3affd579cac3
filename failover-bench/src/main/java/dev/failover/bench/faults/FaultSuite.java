package dev.failover.bench.faults;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.failover.cluster.SampleJar;

/**
 * The fault suite: runs each scenario on real processes (a standalone broker and sample
 * instances), checks role logs, ledger and metrics, and prints a summary table. Exits 0 only
 * if every scenario passed.
 * <pre>
 * java ... dev.failover.bench.faults.FaultSuite [--quick] [--only a,b] [--list] [--keep] [--sample-jar JAR]
 * </pre>
 * {@code scripts/fault-suite.sh} builds what is needed and runs this class.
 */
public final class FaultSuite {

	private FaultSuite() {
	}

	public static void main(String[] args) {
		boolean quick = false;
		boolean keep = false;
		Set<String> only = new LinkedHashSet<>();
		Path jar = null;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--quick" -> quick = true;
				case "--keep" -> keep = true;
				case "--only" -> only.addAll(List.of(value(args, ++i, "--only").split(",")));
				case "--sample-jar" -> jar = Path.of(value(args, ++i, "--sample-jar"));
				case "--list" -> {
					Scenarios.full().forEach((scenario) -> System.out.println(scenario.name() + "  " + scenario.description()));
					return;
				}
				case "--help", "-h" -> {
					usage(System.out);
					return;
				}
				default -> {
					System.err.println("Unknown option: " + args[i]);
					usage(System.err);
					System.exit(2);
				}
			}
		}
		List<Scenario> scenarios = select(quick ? Scenarios.quick() : Scenarios.full(), only);
		if (scenarios.isEmpty()) {
			System.err.println("No scenario matches " + only + "; --list shows them");
			System.exit(2);
		}
		SuiteSettings settings = new SuiteSettings(((jar != null) ? jar : SampleJar.locate()).toAbsolutePath(), keep, System.out);
		List<ScenarioResult> results = run(scenarios, settings);
		System.exit(results.stream().allMatch(ScenarioResult::passed) ? 0 : 1);
	}

	/**
	 * Runs scenarios one after another and prints the summary.
	 * @param scenarios the scenarios
	 * @param settings the settings
	 * @return the results, in order
	 */
	static List<ScenarioResult> run(List<Scenario> scenarios, SuiteSettings settings) {
		PrintStream out = settings.out();
		List<ScenarioResult> results = new ArrayList<>();
		for (Scenario scenario : scenarios) {
			out.println("== " + scenario.name() + ": " + scenario.description());
			ScenarioResult result = scenario.run(settings);
			results.add(result);
			for (Check check : result.checks()) {
				out.println("   " + (check.passed() ? "ok   " : "FAIL ") + check.name() + ": " + check.detail());
			}
			out.println("   " + (result.passed() ? "PASS" : "FAIL") + " in " + result.took().toSeconds() + " s");
			out.flush();
		}
		out.println();
		out.println("Fault suite summary (heartbeat interval 1 s, timeout 3 s unless the name ends in -5s15s; "
				+ "recovery bound = timeout + 2 x interval)");
		out.println(SummaryTable.render(results));
		out.flush();
		return results;
	}

	private static List<Scenario> select(List<Scenario> scenarios, Set<String> only) {
		if (only.isEmpty()) {
			return scenarios;
		}
		List<Scenario> all = new ArrayList<>(Scenarios.full());
		Scenarios.quick().stream().filter((s) -> all.stream().noneMatch((a) -> a.name().equals(s.name()))).forEach(all::add);
		// a name ending in '*' selects by prefix: --only '3b-*' runs every three-broker scenario
		return all.stream().filter((scenario) -> only.stream().anyMatch((name) -> name.endsWith("*")
				? scenario.name().startsWith(name.substring(0, name.length() - 1)) : scenario.name().equals(name))).toList();
	}

	private static String value(String[] args, int index, String option) {
		if (index >= args.length) {
			System.err.println(option + " needs a value");
			System.exit(2);
		}
		return args[index];
	}

	private static void usage(PrintStream out) {
		out.println("Usage: scripts/fault-suite.sh [--quick] [--only name,name] [--list] [--keep] [--sample-jar JAR]");
		out.println("  --quick        the shortened suite that runs in mvn verify");
		out.println("  --only a,b     run only these scenarios (names from --list; '3b-*' for all starting with 3b-)");
		out.println("  --keep         keep every scenario's work directory (failed ones are always kept)");
	}

}
