package dev.failover.cluster;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.failover.cluster.ClusterSnapshot.Observation;
import dev.failover.cluster.ClusterSnapshot.State;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClusterSnapshot#singlePrimary()}: when a group counts as settled.
 */
class ClusterSnapshotTest {

	@TempDir
	Path dir;

	@Test
	void settledWhenOneIsPrimaryAndAllAgree() {
		SampleInstance a = instance("a");
		ClusterSnapshot snapshot = snapshot(answering(a, "primary", 2, "a"), answering(instance("b"), "secondary", 2, "a"),
				answering(instance("c"), "secondary", 2, "a"));

		assertThat(snapshot.singlePrimary()).containsSame(a);
		assertThat(snapshot.primaries()).hasSize(1);
	}

	@Test
	void notSettledWhileASecondaryNamesAnOlderEpoch() {
		ClusterSnapshot snapshot = snapshot(answering(instance("a"), "primary", 2, "a"),
				answering(instance("b"), "secondary", 1, "c"));

		assertThat(snapshot.singlePrimary()).isEmpty();
	}

	@Test
	void notSettledWhileARunningInstanceDoesNotAnswer() {
		ClusterSnapshot snapshot = snapshot(answering(instance("a"), "primary", 1, "a"),
				new Observation(instance("b"), State.NOT_ANSWERING, false, null));

		assertThat(snapshot.singlePrimary()).isEmpty();
	}

	@Test
	void stoppedPausedAndCutInstancesNeedNotAgree() {
		SampleInstance a = instance("a");
		ClusterSnapshot snapshot = snapshot(answering(a, "primary", 3, "a"),
				new Observation(instance("b"), State.STOPPED, false, null),
				new Observation(instance("c"), State.PAUSED, false, null),
				new Observation(instance("d"), State.ANSWERING, true, status("d", "secondary", 2, "b")));

		assertThat(snapshot.singlePrimary()).containsSame(a);
	}

	@Test
	void notSettledWhileACutInstanceStillClaimsToBePrimary() {
		ClusterSnapshot snapshot = snapshot(answering(instance("a"), "primary", 3, "a"),
				new Observation(instance("b"), State.ANSWERING, true, status("b", "primary", 2, "b")));

		assertThat(snapshot.primaries()).hasSize(2);
		assertThat(snapshot.singlePrimary()).isEmpty();
	}

	@Test
	void notSettledWithoutAPrimary() {
		ClusterSnapshot snapshot = snapshot(answering(instance("a"), "secondary", 1, null),
				answering(instance("b"), "secondary", 1, null));

		assertThat(snapshot.singlePrimary()).isEmpty();
	}

	@Test
	void describesEveryInstance() {
		ClusterSnapshot snapshot = snapshot(answering(instance("a"), "primary", 1, "a"),
				new Observation(instance("b"), State.NOT_ANSWERING, true, null));

		assertThat(snapshot.describe()).isEqualTo("a: primary, epoch 1, primary a, log reachable\nb (cut): not answering");
	}

	private SampleInstance instance(String id) {
		return SampleInstance.builder(id)
			.jar(this.dir.resolve("sample.jar"))
			.bootstrapServers("127.0.0.1:9092")
			.workingDirectory(this.dir)
			.build();
	}

	private static ClusterSnapshot snapshot(Observation... observations) {
		return new ClusterSnapshot(Instant.now(), List.of(observations));
	}

	private static Observation answering(SampleInstance instance, String role, long epoch, String primaryId) {
		return new Observation(instance, State.ANSWERING, false, status(instance.id(), role, epoch, primaryId));
	}

	private static InstanceStatus status(String id, String role, long epoch, String primaryId) {
		return new InstanceStatus(id, "g", role, epoch, primaryId, Instant.now(), true, true,
				java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(3), List.of(), "", null);
	}

}
