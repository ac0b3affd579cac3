package dev.failover.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The harness against real processes: a primary cut off the broker gives way, rejoins
 * after the cut heals, takes the role back by a targeted switchover, and the ledger shows
 * one writer per epoch; closing stops everything and removes the work directory.
 */
class SampleClusterIT {

	private static final Duration SETTLE = Duration.ofSeconds(30);

	@Test
	void aCutPrimaryGivesWayAndComesBackThroughATargetedSwitchover() {
		// the reactor packages the sample app before this module: a missing jar is a broken build
		Path jar = SampleJar.find()
			.orElseThrow(() -> new AssertionError("No sample jar in failover-sample-app/target; build it with "
					+ "'mvn -DskipTests -pl failover-sample-app -am package'"));
		List<SampleInstance> instances;
		Path workDir;
		try (SampleCluster cluster = SampleCluster.builder().instances(2).sampleJar(jar).start()) {
			instances = cluster.instances();
			workDir = cluster.workDir();
			SampleInstance first = cluster.awaitSinglePrimary(Duration.ofSeconds(60));
			SampleInstance second = (first == instances.get(0)) ? instances.get(1) : instances.get(0);
			first.awaitLedgerWrites(1, SETTLE);
			long epoch = first.status().epoch();

			Promotion promotion;
			try (PromotionWatch watch = cluster.watchForPromotion(epoch)) {
				long cut = System.nanoTime();
				cluster.cut(first);
				promotion = watch.await(SETTLE);
				assertThat(promotion.since(cut)).isLessThan(SETTLE);
			}
			assertThat(promotion.instance()).isSameAs(second);
			assertThat(promotion.epoch()).isGreaterThan(epoch);
			// settled: the cut instance no longer claims the role, though it cannot hear the new primary
			assertThat(cluster.awaitSinglePrimary(SETTLE)).isSameAs(second);
			assertThat(first.status().isPrimary()).isFalse();
			second.awaitLedgerWrites(1, SETTLE);

			cluster.heal(first);
			assertThat(cluster.isCut(first)).isFalse();
			assertThat(cluster.awaitSinglePrimary(SETTLE)).isSameAs(second);
			assertThat(first.status().agreesWith(second.status())).isTrue();

			StepDownResult stepDown = second.stepDown(first.id());
			assertThat(stepDown.outcome()).startsWith("stepped down");
			assertThat(cluster.awaitSinglePrimary(SETTLE)).isSameAs(first);
			assertThat(first.status().epoch()).isGreaterThan(promotion.epoch());
			first.awaitLedgerWrites(1, SETTLE);

			LedgerReport ledger = cluster.checkLedger();
			assertThat(ledger.violations()).isEmpty();
			assertThat(ledger.ok()).isTrue();
			assertThat(ledger.writers()).containsExactlyInAnyOrder(first.id(), second.id());
			assertThat(ledger.epoch(promotion.epoch()).writer()).isEqualTo(second.id());

			assertThat(RoleLogEntry.readAll(second.roleLogFile().orElseThrow()))
				.anySatisfy((entry) -> assertThat(entry.isPromotion() && entry.epoch() == promotion.epoch()).isTrue());
			assertThat(RoleLogEntry.readAll(first.roleLogFile().orElseThrow()))
				.anySatisfy((entry) -> assertThat(entry.cause()).isEqualTo("LEASE_EXPIRED"));
		}
		assertThat(instances).noneMatch(SampleInstance::isAlive);
		assertThat(workDir).doesNotExist();
	}

	@Test
	void withoutProxiesTheInstancesConnectToTheBrokerDirectlyAndCannotBeCut() {
		try (SampleCluster cluster = SampleCluster.builder().instances(2).proxied(false).startBroker()) {
			for (SampleInstance instance : cluster.instances()) {
				assertThat(instance.bootstrapServers()).isEqualTo(cluster.bootstrapServers());
				assertThat(instance.listener()).isEmpty();
				assertThat(cluster.isCut(instance)).isFalse();
				assertThatIllegalStateException().isThrownBy(() -> cluster.cut(instance))
					.withMessageContaining("connects to the broker directly")
					.withMessageContaining("proxied(false)");
			}
		}
	}

}
