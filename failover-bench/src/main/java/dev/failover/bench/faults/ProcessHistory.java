package dev.failover.bench.faults;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the harness did to each instance's processes, with the instants that bound every
 * run: the checker needs them to end the primary interval of a process that died without
 * saying so.
 * <p>
 * A run starts just before its process is started and ends just <em>after</em> the harness
 * saw it gone (a SIGKILL confirmed, a graceful exit awaited), so a killed primary's interval
 * is, if anything, taken to last a little longer than it did: the overlap check errs on the
 * strict side. Thread-safe.
 */
final class ProcessHistory {

	private final Map<String, List<Run>> runs = new LinkedHashMap<>();

	/**
	 * Records that an instance's process was started.
	 * @param id the instance
	 * @param at just before the start
	 */
	synchronized void started(String id, Instant at) {
		this.runs.computeIfAbsent(id, (key) -> new ArrayList<>()).add(new Run(at, null, null));
	}

	/**
	 * Records that the current run of an instance ended.
	 * @param id the instance
	 * @param at just after the process was seen gone
	 * @param how why it ended
	 */
	synchronized void ended(String id, Instant at, Ending how) {
		List<Run> list = this.runs.get(id);
		if (list == null || list.isEmpty()) {
			return;
		}
		Run last = list.get(list.size() - 1);
		if (last.end() == null) {
			list.set(list.size() - 1, new Run(last.start(), at, how));
		}
	}

	/**
	 * Returns whether the current run of an instance has an end recorded.
	 * @param id the instance
	 * @return {@code true} if it ended, or never started
	 */
	synchronized boolean hasEnded(String id) {
		List<Run> list = this.runs.get(id);
		return list == null || list.isEmpty() || list.get(list.size() - 1).end() != null;
	}

	/**
	 * Returns the run of an instance that was alive at an instant.
	 * @param id the instance
	 * @param at the instant
	 * @return the run, or empty if none covers it
	 */
	synchronized Optional<Run> runAt(String id, Instant at) {
		for (Run run : this.runs.getOrDefault(id, List.of())) {
			if (!at.isBefore(run.start()) && (run.end() == null || !at.isAfter(run.end()))) {
				return Optional.of(run);
			}
		}
		return Optional.empty();
	}

	/**
	 * Returns the runs of every instance.
	 * @return instance id to runs, in order
	 */
	synchronized Map<String, List<Run>> runs() {
		Map<String, List<Run>> copy = new LinkedHashMap<>();
		this.runs.forEach((id, list) -> copy.put(id, List.copyOf(list)));
		return copy;
	}

	/**
	 * How a run ended.
	 */
	enum Ending {

		/** SIGKILL by the harness. */
		KILLED,

		/** SIGTERM by the harness, and a graceful exit (or a kill after the stop timeout). */
		TERMINATED,

		/** The process exited without the harness asking: a crash. */
		UNEXPECTED

	}

	/**
	 * One run of an instance's process.
	 *
	 * @param start just before the process was started
	 * @param end just after it was seen gone, or {@code null} while running
	 * @param ending how it ended, or {@code null} while running
	 */
	record Run(Instant start, Instant end, Ending ending) {
	}

}
