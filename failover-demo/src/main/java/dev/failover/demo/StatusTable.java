package dev.failover.demo;

import dev.failover.testkit.TextTable;
import dev.failover.cluster.ClusterSnapshot;
import dev.failover.cluster.InstanceStatus;
import dev.failover.cluster.SampleInstance;

/**
 * Renders a {@link ClusterSnapshot} as the demo's live table: one row per instance with its
 * role, epoch, the primary it believes in and the age of the last heartbeat it received.
 */
final class StatusTable {

	private StatusTable() {
	}

	static TextTable of(ClusterSnapshot snapshot, Console console) {
		TextTable table = new TextTable("INSTANCE", "PID", "ROLE", "EPOCH", "PRIMARY", "LAST HEARTBEAT", "MEMBERS");
		for (ClusterSnapshot.Observation observation : snapshot.observations()) {
			SampleInstance instance = observation.instance();
			InstanceStatus status = observation.status();
			String pid = instance.process().filter((process) -> instance.isAlive())
				.map((process) -> String.valueOf(process.pid()))
				.orElse("-");
			if (status == null) {
				table.row(instance.id(), pid, console.yellow(describe(observation)), "-", "-", "-", "-");
				continue;
			}
			String role = status.isPrimary() ? console.green(console.bold(status.role())) : status.role();
			String heartbeat = status.heartbeatAge(snapshot.takenAt()).map(Format::age).orElse("none yet");
			table.row(instance.id(), pid, role, String.valueOf(status.epoch()), status.primary().orElse("none"), heartbeat,
					String.valueOf(status.members().size()));
		}
		return table;
	}

	private static String describe(ClusterSnapshot.Observation observation) {
		return switch (observation.state()) {
			case NOT_ANSWERING -> (observation.instance().starts() > 0) ? "starting" : "not answering";
			case PAUSED -> "paused";
			case STOPPED -> (observation.instance().starts() > 0) ? "down" : "not started";
			case ANSWERING -> "answering";
		};
	}

}
