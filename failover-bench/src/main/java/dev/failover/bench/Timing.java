package dev.failover.bench;

/**
 * One measured series of the benchmark, with exactly where its clock starts and stops.
 *
 * @param name what was measured, such as {@code crash failover (kill -9 of the primary)}
 * @param clockStarts the moment the clock starts, such as {@code just before SIGKILL is sent}
 * @param clockStops the moment the clock stops, such as {@code the successor's promotion, from its role log}
 * @param samples the measurements
 */
public record Timing(String name, String clockStarts, String clockStops, Samples samples) {

	/**
	 * Creates an empty series.
	 * @param name what is measured
	 * @param clockStarts where the clock starts
	 * @param clockStops where the clock stops
	 * @return the series
	 */
	public static Timing of(String name, String clockStarts, String clockStops) {
		return new Timing(name, clockStarts, clockStops, new Samples());
	}

}
