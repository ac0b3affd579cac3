package dev.failover.bench.faults;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What every scenario of a suite run shares.
 *
 * @param sampleJar the sample application's fat jar
 * @param keepWorkDirs whether to keep the work directories of passed scenarios too
 * @param out where progress lines go
 */
record SuiteSettings(Path sampleJar, boolean keepWorkDirs, PrintStream out) {

	/**
	 * Prints one progress line of a scenario.
	 * @param scenario the scenario name
	 * @param line the line
	 */
	void log(String scenario, String line) {
		this.out.println("  [" + scenario + "] " + line);
		this.out.flush();
	}

}
