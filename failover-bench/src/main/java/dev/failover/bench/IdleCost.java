package dev.failover.bench;

/**
 * What one idle process cost.
 *
 * @param label which process, such as {@code idle primary}
 * @param earlyCpuPercent CPU used in the first idle window, soon after start-up, in percent of one core
 * @param settledCpuPercent CPU used in the settled idle window, minutes later, in percent of one core
 * @param settledCompilerPercent the part of it used by the JIT compiler's threads
 * @param peakRssMb peak resident set size ({@code VmHWM}) at the end, in MiB
 * @param rssMb resident set size ({@code VmRSS}) at the end, after a full collection and a trim of
 *     the native heap, in MiB
 * @param liveHeapMb the heap in use right after that collection, in MiB
 * @param threads threads at the end
 */
public record IdleCost(String label, double earlyCpuPercent, double settledCpuPercent, double settledCompilerPercent,
		double peakRssMb, double rssMb, double liveHeapMb, int threads) {

	/**
	 * Returns the figures of this process minus those of another.
	 * @param label the label of the difference
	 * @param baseline the other process
	 * @return the difference
	 */
	public IdleCost minus(String label, IdleCost baseline) {
		return new IdleCost(label, this.earlyCpuPercent - baseline.earlyCpuPercent,
				this.settledCpuPercent - baseline.settledCpuPercent,
				this.settledCompilerPercent - baseline.settledCompilerPercent, this.peakRssMb - baseline.peakRssMb,
				this.rssMb - baseline.rssMb, this.liveHeapMb - baseline.liveHeapMb, this.threads - baseline.threads);
	}

}
