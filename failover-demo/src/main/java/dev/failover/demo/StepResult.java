package dev.failover.demo;

/**
 * One line of the demo's summary.
 *
 * @param step what was done
 * @param outcome whether its checks held
 * @param result what happened, in a few words
 * @param time the measured time, as text
 */
record StepResult(String step, Outcome outcome, String result, String time) {

	/** Whether a step's checks held. */
	enum Outcome {

		/** Every check of the step held. */
		OK,

		/** A check failed or the step could not be done. */
		FAILED,

		/** Not run, because an earlier step failed. */
		SKIPPED

	}

}
