package dev.failover.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux reports about a process in {@code /proc/<pid>}: CPU time used so far
 * ({@code utime + stime} of {@code stat}, in clock ticks of 1/100 s) and memory
 * ({@code VmHWM}, the peak resident set, and {@code VmRSS}) and thread count from
 * {@code status}.
 *
 * @param cpuTicks user plus system CPU time, in clock ticks
 * @param peakRssKb the peak resident set size, in KiB
 * @param rssKb the current resident set size, in KiB
 * @param threads the number of threads
 */
public record ProcStats(long cpuTicks, long peakRssKb, long rssKb, int threads) {

	/** Linux's USER_HZ: clock ticks per second in {@code /proc/<pid>/stat}, 100 on every common platform. */
	public static final int TICKS_PER_SECOND = 100;

	/**
	 * Reads a process's figures.
	 * @param pid the process id
	 * @return the figures
	 * @throws UncheckedIOException if the process is gone or this is not Linux
	 */
	public static ProcStats of(long pid) {
		try {
			long ticks = ticks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
			long hwm = 0;
			long rss = 0;
			int threads = 0;
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
				if (line.startsWith("VmHWM:")) {
					hwm = kilobytes(line);
				}
				else if (line.startsWith("VmRSS:")) {
					rss = kilobytes(line);
				}
				else if (line.startsWith("Threads:")) {
					threads = Integer.parseInt(line.substring("Threads:".length()).trim());
				}
			}
			return new ProcStats(ticks, hwm, rss, threads);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read /proc/" + pid + " (is this Linux, and the process alive?)", ex);
		}
	}

	/**
	 * Returns the CPU this process used since an earlier reading, in percent of one core.
	 * @param earlier the earlier reading of the same process
	 * @param seconds the time between the two readings
	 * @return the percentage
	 */
	public double cpuPercentSince(ProcStats earlier, double seconds) {
		return percent(this.cpuTicks - earlier.cpuTicks, seconds);
	}

	/**
	 * Converts clock ticks used over some seconds into a percentage of one core.
	 * @param ticks the clock ticks
	 * @param seconds the time they were used in
	 * @return the percentage
	 */
	public static double percent(long ticks, double seconds) {
		return ticks / (double) TICKS_PER_SECOND / seconds * 100;
	}

	/**
	 * Returns the CPU time used by a process's JIT compiler threads alive now (their
	 * {@code task/<tid>/comm} starts with {@code C1 CompilerThre} or {@code C2 CompilerThre}):
	 * one read per thread, so only for the processes whose compiler share is wanted.
	 * @param pid the process
	 * @return user plus system CPU time of those threads, in clock ticks
	 * @throws UncheckedIOException if the process cannot be read
	 */
	public static long compilerTicks(long pid) {
		long ticks = 0;
		try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
			for (Path task : tasks.toList()) {
				try {
					String name = Files.readString(task.resolve("comm")).trim();
					if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
						ticks += ticks(Files.readString(task.resolve("stat")));
					}
				}
				catch (IOException ex) {
					// the thread ended meanwhile
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read /proc/" + pid + "/task (is this Linux, and the process alive?)", ex);
		}
		return ticks;
	}

	private static long ticks(String stat) {
		// the command name, in parentheses, may contain spaces: count fields after its end
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		// fields 14 and 15 of stat (1-based) are utime and stime; the rest start at field 3
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	private static long kilobytes(String line) {
		return Long.parseLong(line.replaceAll("[^0-9]", ""));
	}

}
