package dev.failover.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.failover.testkit.Commands;

/**
 * The heap a JVM uses, as the JDK's {@code jstat -gc <pid>} reports it: the used parts of
 * both survivor spaces, eden and the old generation ({@code S0U + S1U + EU + OU}, in KiB).
 * These columns exist under every collector, so the figure means the same for each. Read
 * right after a full collection, it is the live heap: what the application's objects need,
 * however far the collector let the heap grow.
 */
final class HeapStats {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final List<String> USED = List.of("S0U", "S1U", "EU", "OU");

	private HeapStats() {
	}

	/**
	 * Reads the used heap of a running JVM.
	 * @param pid the JVM's process id
	 * @return the used heap, in MiB
	 * @throws IllegalStateException if {@code jstat} fails or prints something else
	 */
	static double usedMb(long pid) {
		return usedMb(Commands.runJdkTool(TIMEOUT, "jstat", "-gc", String.valueOf(pid)));
	}

	/**
	 * Reads the used heap from what {@code jstat -gc} printed: a line of column names, then a
	 * line of values.
	 * @param printed the output
	 * @return the used heap, in MiB
	 * @throws IllegalStateException if a column is missing or not a number
	 */
	static double usedMb(String printed) {
		String[] lines = printed.strip().split("\\R");
		if (lines.length < 2) {
			throw new IllegalStateException("jstat -gc printed no values: " + printed);
		}
		String[] names = lines[lines.length - 2].trim().split("\\s+");
		String[] values = lines[lines.length - 1].trim().split("\\s+");
		Map<String, String> columns = new HashMap<>();
		for (int i = 0; i < Math.min(names.length, values.length); i++) {
			columns.put(names[i], values[i]);
		}
		double kib = 0;
		for (String column : USED) {
			String value = columns.getOrDefault(column, "");
			try {
				kib += Double.parseDouble(value);
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException("jstat -gc printed no number in column " + column + ": " + printed, ex);
			}
		}
		return kib / 1024;
	}

}
