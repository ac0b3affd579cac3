package dev.failover.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.failover.testkit.Sleeps;
import dev.failover.cluster.SampleCluster;

/**
 * One run of the demo: runs the steps in order, stops everything at the end, and keeps the
 * summary. The first step whose check fails ends the run; the remaining steps are reported
 * as skipped, and the work directory is kept for its logs.
 */
final class DemoRun {

	static final int STEPS = 8;

	private final DemoState state;

	private volatile boolean stopping;

	DemoRun(DemoOptions options, Console console) {
		this.state = new DemoState(options, console);
	}

	List<StepResult> results() {
		return List.copyOf(this.state.results);
	}

	/**
	 * Runs every step, then stops everything.
	 * @return whether every check held
	 */
	boolean execute() {
		StartSteps start = new StartSteps(this.state);
		FailoverSteps failover = new FailoverSteps(this.state);
		List<Step> steps = List.of(new Step("broker start", start::startBroker),
				new Step("instances start", start::startInstances), new Step("crash failover (kill -9)", failover::crash),
				new Step("rejoin after restart", start::restart), new Step("pause (SIGSTOP)", failover::pause),
				new Step("graceful switchover", failover::switchover),
				new Step("ledger check", new LedgerStep(this.state)::checkLedger));
		boolean failed = false;
		for (Step step : steps) {
			if (failed) {
				this.state.results.add(new StepResult(step.name(), StepResult.Outcome.SKIPPED, "not run", "-"));
				continue;
			}
			try {
				step.action().run();
			}
			catch (RuntimeException ex) {
				if (this.stopping) {
					return false;
				}
				failed = true;
				fail(step.name(), ex);
			}
		}
		stop(failed);
		return !failed;
	}

	/**
	 * Returns whether the run was {@linkplain #abort() aborted}.
	 * @return {@code true} after Ctrl-C
	 */
	boolean aborted() {
		return this.stopping;
	}

	/**
	 * Stops everything at once, from a shutdown hook (Ctrl-C).
	 */
	void abort() {
		this.stopping = true;
		SampleCluster current = this.state.cluster;
		Path workDir = this.state.workDir;
		if (current != null) {
			current.close();
		}
		else if (workDir != null && !this.state.options.keep()) {
			// interrupted while the broker started: the testkit's hook kills it, then its directory can go
			deleteWhenUnused(workDir);
		}
	}

	private void stop(boolean failed) {
		Console console = this.state.console;
		SampleCluster current = this.state.cluster;
		console.step(8, STEPS, "Stopping everything the demo started");
		if (current == null) {
			console.line("nothing was running");
			return;
		}
		if (failed) {
			current.keepWorkDir(true);
		}
		long start = System.nanoTime();
		current.close();
		console.line("stopped " + current.instances().size() + " instances and the broker in " + Format.nanosSince(start));
		if (current.keepsWorkDir()) {
			console.line("kept " + current.workDir() + (failed ? " for its logs:" : ":"));
			current.logFiles().forEach((name, file) -> console.line("  " + name + ": " + file));
		}
		else {
			console.line("deleted " + current.workDir());
		}
	}

	private void fail(String step, RuntimeException ex) {
		Console console = this.state.console;
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.toString();
		console.line(console.red("FAILED: " + message.replace("\n", "\n      ")));
		if (!(ex instanceof CheckFailed)) {
			console.line("(" + ex.getClass().getName() + ")");
		}
		this.state.results.add(new StepResult(step, StepResult.Outcome.FAILED, gist(message), "-"));
	}

	/** The gist of a message for the summary: up to its first line break or "; ". */
	private static String gist(String text) {
		String line = text.split("\n|; ", 2)[0];
		return (line.length() > 100) ? line.substring(0, 100) + "..." : line;
	}

	private static void deleteWhenUnused(Path dir) {
		for (int attempt = 0; attempt < 10; attempt++) {
			try (Stream<Path> walk = Files.walk(dir)) {
				for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(path);
				}
				return;
			}
			catch (IOException | UncheckedIOException ex) {
				// the broker may still be writing for a moment
				Sleeps.sleep(Duration.ofMillis(300));
			}
		}
	}

	/** A named step of the run. */
	private record Step(String name, Runnable action) {
	}

}
