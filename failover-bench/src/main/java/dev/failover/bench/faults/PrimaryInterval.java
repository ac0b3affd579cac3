package dev.failover.bench.faults;

import java.time.Duration;
import java.time.Instant;

/**
 * A span of time during which one instance acted as primary, at one epoch: from its
 * promotion to its demotion as its role log dates them, or to the death of its process.
 *
 * @param instanceId the instance
 * @param epoch the epoch it held
 * @param start when it became primary
 * @param end when it stopped acting as primary
 * @param endedBy what ended it: a demotion's cause, {@code SIGKILL}, or the process's exit
 */
record PrimaryInterval(String instanceId, long epoch, Instant start, Instant end, String endedBy) {

	/**
	 * Returns whether this interval and another share any instant.
	 * @param other the other interval
	 * @return {@code true} if they overlap
	 */
	boolean overlaps(PrimaryInterval other) {
		return this.start.isBefore(other.end) && other.start.isBefore(this.end);
	}

	/**
	 * Returns how long the interval lasted.
	 * @return the duration
	 */
	Duration length() {
		return Duration.between(this.start, this.end);
	}

	@Override
	public String toString() {
		return "'" + this.instanceId + "' epoch " + this.epoch + " [" + this.start + " .. " + this.end + ", " + this.endedBy
				+ "]";
	}

}
