package dev.failover.bench;

/**
 * What one idle process cost over the measuring window.
 *
 * @param label which process, such as {@code idle primary}
 * @param cpuPercent CPU used, in percent of one core
 * @param peakRssMb peak resident set size ({@code VmHWM}), in MiB
 * @param rssMb resident set size at the end of the window ({@code VmRSS}), in MiB
 * @param threads threads at the end of the window
 */
public record IdleCost(String label, double cpuPercent, double peakRssMb, double rssMb, int threads) {

	/**
	 * Returns the figures of this process minus those of another.
	 * @param label the label of the difference
	 * @param baseline the other process
	 * @return the difference
	 */
	public IdleCost minus(String label, IdleCost baseline) {
		return new IdleCost(label, this.cpuPercent - baseline.cpuPercent, this.peakRssMb - baseline.peakRssMb,
				this.rssMb - baseline.rssMb, this.threads - baseline.threads);
	}

}
