package dev.failover.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

import dev.failover.testkit.TextTable;

/**
 * The live failover demo ({@code ./demo.sh}): starts a real Kafka broker and several
 * sample-app processes on this machine, kills the primary with {@code SIGKILL}, restarts
 * it, hands the primary role over through the Actuator endpoint, checks the ledger the
 * primaries wrote, and prints what it measured.
 * <p>
 * Exits 0 only if every check held, 1 if one failed, 2 on a bad option, 130 on Ctrl-C.
 * Everything it starts is stopped at the end, on failure and on Ctrl-C; after a failure the
 * work directory with every log is kept and its path printed.
 */
public final class Demo {

	private static final String LOGBACK_CONFIG = "dev/failover/demo/logback-demo.xml";

	private final DemoOptions options;

	private final Console console;

	private volatile boolean finished;

	Demo(DemoOptions options, PrintStream out, boolean ansi) {
		this.options = options;
		this.console = new Console(out, ansi);
	}

	/**
	 * Runs the demo.
	 * @param args the options; {@code --help} lists them
	 */
	public static void main(String[] args) {
		// before anything logs: the testkit and the Kafka client would otherwise print DEBUG to the demo's output
		if (System.getProperty("logback.configurationFile") == null) {
			System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
		}
		DemoOptions options;
		try {
			options = DemoOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.println(DemoOptions.USAGE);
			System.exit(2);
			return;
		}
		if (options == null) {
			System.out.println(DemoOptions.USAGE);
			return;
		}
		int exitCode = new Demo(options, System.out, Console.colorWanted()).run();
		System.out.flush();
		System.exit(exitCode);
	}

	/**
	 * Runs every step and prints the summary.
	 * @return 0 if every check held, 1 if one failed, 130 if interrupted
	 */
	int run() {
		long start = System.nanoTime();
		this.console.title("Failover live demo: one Kafka broker and " + this.options.instances()
				+ " sample instances, real processes on 127.0.0.1" + (this.options.quick() ? " (quick run)" : ""));
		DemoRun run = new DemoRun(this.options, this.console);
		Thread interrupt = new Thread(() -> {
			if (!this.finished) {
				this.console.plain("");
				this.console.plain("Interrupted: stopping everything the demo started ...");
				run.abort();
				this.console.plain("stopped.");
			}
		}, "demo-interrupted");
		Runtime.getRuntime().addShutdownHook(interrupt);
		boolean ok;
		try {
			ok = run.execute();
		}
		finally {
			this.finished = true;
			try {
				Runtime.getRuntime().removeShutdownHook(interrupt);
			}
			catch (IllegalStateException ex) {
				// already shutting down (Ctrl-C): the hook finishes the job
			}
		}
		if (run.aborted()) {
			// the hook reports the interruption; a summary of half-done steps would only mislead
			return 130;
		}
		printSummary(run.results(), ok, Duration.ofNanos(System.nanoTime() - start));
		return ok ? 0 : 1;
	}

	private void printSummary(List<StepResult> results, boolean ok, Duration total) {
		this.console.blank();
		this.console.title("Summary");
		TextTable table = new TextTable("STEP", "CHECK", "RESULT", "TIME");
		for (StepResult result : results) {
			String outcome = switch (result.outcome()) {
				case OK -> this.console.green("ok");
				case FAILED -> this.console.red("FAILED");
				case SKIPPED -> this.console.yellow("skipped");
			};
			table.row(result.step(), outcome, result.result(), result.time());
		}
		this.console.table(table);
		this.console.blank();
		String verdict = ok ? this.console.green(this.console.bold("All checks held."))
				: this.console.red(this.console.bold("A check failed (see above)."));
		this.console.plain(verdict + " Total " + Format.duration(total) + ".");
	}

}
