package dev.failover.bench.faults;

import java.time.Duration;

/**
 * How long a group went without a primary after one fault: from the moment the fault made
 * recovery possible (a kill, a pause, a cut, a healed broker, a handover request) to the
 * successor's own record of its promotion.
 *
 * @param fault what happened, such as {@code kill -9 of primary 'a'}
 * @param measuredFrom what the clock started at, such as {@code the SIGKILL}
 * @param took the time to the promotion, or {@code null} if the primary kept its role
 * @param bound the longest acceptable time
 * @param successor the instance promoted, or {@code null}
 * @param epoch the epoch of the promotion, or the kept epoch
 */
record Recovery(String fault, String measuredFrom, Duration took, Duration bound, String successor, long epoch) {

	/**
	 * Returns whether the group was back within the bound (or never lost its primary).
	 * @return {@code true} if within the bound
	 */
	boolean withinBound() {
		return this.took == null || this.took.compareTo(this.bound) <= 0;
	}

	@Override
	public String toString() {
		if (this.took == null) {
			return this.fault + ": primary kept (epoch " + this.epoch + ")";
		}
		return this.fault + ": '" + this.successor + "' primary at epoch " + this.epoch + " " + this.took.toMillis()
				+ " ms after " + this.measuredFrom + " (bound " + this.bound.toMillis() + " ms)";
	}

}
