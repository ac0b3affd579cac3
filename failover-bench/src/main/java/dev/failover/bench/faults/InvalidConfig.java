package dev.failover.bench.faults;

import java.util.List;

/**
 * One invalid setting the sample application must refuse at startup.
 *
 * @param label what is wrong, such as {@code timeout below twice the interval}
 * @param property the property the failure analysis must name, such as
 * {@code failover.heartbeat-timeout}
 * @param args the command-line arguments that set it
 */
record InvalidConfig(String label, String property, List<String> args) {

	static InvalidConfig of(String label, String property, String... args) {
		return new InvalidConfig(label, property, List.of(args));
	}

	/**
	 * Returns the invalid configurations the suite tries, against the sample's 1 s / 3 s.
	 * @return the configurations
	 */
	static List<InvalidConfig> all() {
		return List.of(
				of("timeout below twice the interval", "failover.heartbeat-timeout", "--failover.heartbeat-timeout=1500ms"),
				of("negative interval", "failover.heartbeat-interval", "--failover.heartbeat-interval=-1s"),
				of("zero timeout", "failover.heartbeat-timeout", "--failover.heartbeat-timeout=0s"),
				of("interval that is not a duration", "failover.heartbeat-interval",
						"--failover.heartbeat-interval=soon"),
				of("lease margin leaving a lease shorter than an interval", "failover.lease-margin",
						"--failover.lease-margin=2500ms"),
				of("unknown role", "failover.role", "--failover.role=leader"),
				of("claim back-off max below min", "failover.claim-backoff-max", "--failover.claim-backoff-min=500ms",
						"--failover.claim-backoff-max=100ms"),
				of("negative claim stagger", "failover.claim-stagger", "--failover.claim-stagger=-5ms"),
				of("signing key too short", "failover.signing-key", "--failover.signing-key=short"),
				of("max record size too small", "failover.max-record-size", "--failover.max-record-size=100B"),
				of("negative shutdown timeout", "failover.shutdown-timeout", "--failover.shutdown-timeout=-1s"),
				of("unknown lease-lost action", "failover.on-lease-lost", "--failover.on-lease-lost=explode"),
				of("invalid topic name", "failover.kafka.topic", "--failover.kafka.topic=bad topic!"),
				of("zero partitions", "failover.kafka.partitions", "--failover.kafka.partitions=0"),
				of("zero replication factor", "failover.kafka.replication-factor",
						"--failover.kafka.replication-factor=0"),
				of("invalid instance id", "failover.instance-id", "--failover.instance-id=bad id!"),
				of("invalid group name", "failover.group", "--failover.group=no spaces here"),
				of("primary-only bean that does not exist", "failover.primary-only.lifecycle-beans",
						"--failover.primary-only.lifecycle-beans=nope"));
	}

}
