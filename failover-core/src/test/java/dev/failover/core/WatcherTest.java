package dev.failover.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.failover.core.spi.LogListener;
import dev.failover.core.spi.Subscription;
import dev.failover.core.spi.Transport;
import dev.failover.core.support.SimulatedGroup;
import dev.failover.core.testing.InMemoryLog;
import dev.failover.core.testing.VirtualClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The public API of {@link Watcher}, one promise at a time, under virtual time.
 */
class WatcherTest {

	private static final FailoverConfig CONFIG = SimulatedGroup.FAST;

	private final SimulatedGroup group = new SimulatedGroup(CONFIG);

	@AfterEach
	void close() {
		assertThat(this.group.violations()).isEmpty();
		this.group.close();
	}

	@Test
	void shutdownBeforeStartIsSafeAndIdempotent() {
		Watcher watcher = watcher("a", CONFIG);
		watcher.shutdown(Duration.ofSeconds(1));
		watcher.close();
		assertThat(watcher.state()).isEqualTo(Watcher.State.CLOSED);
		assertThat(watcher.isPrimary()).isFalse();
		assertThatIllegalStateException().isThrownBy(watcher::start).withMessageContaining("CLOSED");
	}

	@Test
	void startingTwiceIsAnError() {
		Watcher watcher = this.group.start("a");
		assertThatIllegalStateException().isThrownBy(watcher::start).withMessageContaining("STARTED");
	}

	@Test
	void aDisabledWatcherKeepsItsStaticRoleWithoutConnecting() {
		FailoverConfig disabled = CONFIG.toBuilder().enabled(false).build();
		Watcher primary = this.group.start("a", disabled);
		Watcher secondary = this.group.start("b", disabled.toBuilder().role(Role.SECONDARY).build());
		this.group.advance(Duration.ofSeconds(30));
		assertThat(primary.isPrimary()).isTrue();
		assertThat(primary.role()).isEqualTo(Role.PRIMARY);
		assertThat(primary.primaryId()).contains("a");
		assertThat(secondary.isPrimary()).isFalse();
		assertThat(secondary.primaryId()).isEmpty();
		assertThat(this.group.clock.loops()).as("no thread, no loop").extracting("name")
			.containsExactly("failover-in-memory-log");
		assertThat(this.group.log.size()).as("nothing written").isZero();
		assertThat(primary.formatStatus()).contains("role=primary", "enabled=false", "log=not-connected");
		assertThat(primary.stepDown()).isCompletedExceptionally();
	}

	@Test
	void enablingAtRuntimeJoinsTheGroupAsSecondaryThenGetsElected() {
		Watcher watcher = this.group.start("a", CONFIG.toBuilder().enabled(false).build());
		assertThat(watcher.isPrimary()).isTrue();
		watcher.setEnabled(true);
		assertThat(watcher.isEnabled()).isTrue();
		assertThat(watcher.isPrimary()).as("no longer static").isFalse();
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		this.group.advance(Duration.ofMillis(1));
		assertThat(this.group.changes()).extracting(RoleChange::cause)
			.containsExactly(RoleChange.Cause.FAILOVER_ENABLED, RoleChange.Cause.NO_PRIMARY);
		assertThat(watcher.epoch()).isEqualTo(1);
	}

	@Test
	void aDisabledSecondaryObservesButNeverClaims() {
		Watcher a = this.group.start("a");
		Watcher b = this.group.start("b", CONFIG.toBuilder().role(Role.SECONDARY).build());
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		assertThat(a.isPrimary()).isTrue();
		b.setEnabled(false);
		long claimsBefore = b.stats().claimsSent();
		a.closeAbruptly();
		this.group.advance(Duration.ofSeconds(20));
		assertThat(b.isPrimary()).isFalse();
		assertThat(b.stats().claimsSent()).isEqualTo(claimsBefore);
		assertThat(b.primaryId()).as("still following the log").contains("a");
		b.setEnabled(true);
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION)).isTrue();
		assertThat(b.isPrimary()).isTrue();
	}

	@Test
	void disablingAPrimaryKeepsItPrimary() {
		Watcher a = this.group.start("a");
		this.group.start("b");
		this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION);
		Watcher primary = this.group.primary();
		primary.setEnabled(false);
		this.group.advance(Duration.ofSeconds(20));
		assertThat(primary.isPrimary()).isTrue();
		assertThat(primary.status().enabled()).isFalse();
		assertThat(a.members()).extracting(Member::instanceId).containsExactly("a", "b");
	}

	@Test
	void lastHeartbeatIsTheLatestRenewalOnThePrimaryAndTheLatestReceiptOnASecondary() {
		Watcher a = this.group.start("a");
		Watcher b = this.group.start("b", CONFIG.toBuilder().role(Role.SECONDARY).build());
		assertThat(a.lastHeartbeat()).isEmpty();
		this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION);
		this.group.advance(Duration.ofMillis(5500));
		Instant now = this.group.clock.instant();
		assertThat(a.lastHeartbeat()).hasValueSatisfying(
				(at) -> assertThat(Duration.between(at, now)).isBetween(Duration.ZERO, CONFIG.heartbeatInterval()));
		assertThat(b.lastHeartbeat()).hasValueSatisfying(
				(at) -> assertThat(Duration.between(at, now)).isBetween(Duration.ZERO, CONFIG.heartbeatInterval()));
		assertThat(b.stats().heartbeatsReceived()).isGreaterThanOrEqualTo(5);
		assertThat(a.stats().heartbeatsSent()).isGreaterThanOrEqualTo(5);
	}

	@Test
	void statusLineSaysWhoIsWhat() {
		this.group.start("a");
		Watcher b = this.group.start("b", CONFIG.toBuilder().role(Role.SECONDARY).build());
		this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION);
		this.group.advance(Duration.ofMillis(1500));
		assertThat(b.formatStatus()).matches(
				"group=orders instance=b role=secondary epoch=1 primary=a enabled=true log=reachable last-heartbeat=\\d+ms ago members=2");
		assertThat(this.group.get("a").formatStatus()).startsWith("group=orders instance=a role=primary epoch=1");
		assertThat(b.toString()).contains("instance=b");
	}

	@Test
	void statusReportsMembersAndReachability() {
		this.group.startAll("a", "b", "c");
		this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION);
		this.group.advance(Duration.ofSeconds(2));
		WatcherStatus status = this.group.get("b").status();
		assertThat(status.logReachable()).isTrue();
		assertThat(status.connected()).isTrue();
		assertThat(status.primaryMissingFor()).isZero();
		assertThat(status.members()).extracting(Member::instanceId).containsExactly("a", "b", "c");
		assertThat(status.members()).filteredOn((m) -> m.role() == Role.PRIMARY)
			.extracting(Member::instanceId)
			.containsExactly(this.group.primary().instanceId());
		assertThat(status.members()).filteredOn(Member::self).extracting(Member::instanceId).containsExactly("b");
		this.group.log.partition("b");
		// its view was last confirmed at most an interval ago and counts for two more
		this.group.advance(Duration.ofSeconds(3));
		assertThat(this.group.get("b").status().logReachable()).isFalse();
		assertThat(this.group.get("b").formatStatus()).contains("log=UNREACHABLE");
	}

	@Test
	void callbacksAddedByDifferentPartsOfAnApplicationAllRunAndAFailingOneUndoesTheEarlierOnes() {
		List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
		AtomicInteger attempts = new AtomicInteger();
		this.group.customize((builder) -> builder.onPromote((epoch) -> calls.add("start components"))
			.onDemote((epoch) -> calls.add("stop components"))
			.onPromote((epoch) -> {
				if (attempts.incrementAndGet() == 1) {
					throw new IllegalStateException("database not ready");
				}
				calls.add("open database");
			})
			.onDemote((epoch) -> calls.add("close database")));
		Watcher a = this.group.start("a");
		assertThat(this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION.plusSeconds(5))).isTrue();
		// the first attempt failed in the second callback: the first one was undone
		assertThat(calls).containsExactly("start components", "stop components", "start components", "open database");
		calls.clear();
		a.stepDown();
		this.group.advance(Duration.ofMillis(10));
		assertThat(calls).containsExactly("close database", "stop components");
	}

	@Test
	void aFailingPromoteCallbackLeavesTheInstanceSecondaryAndItRetries() {
		AtomicInteger attempts = new AtomicInteger();
		this.group.customize((builder) -> builder.onPromote((epoch) -> {
			if (attempts.incrementAndGet() <= 3) {
				throw new IllegalStateException("database not ready");
			}
		}));
		Watcher a = this.group.start("a");
		this.group.advance(SimulatedGroup.FAST.heartbeatTimeout().plusMillis(50));
		assertThat(attempts.get()).isEqualTo(1);
		assertThat(a.isPrimary()).isFalse();
		assertThat(a.state()).isEqualTo(Watcher.State.STARTED);
		assertThat(this.group.awaitPrimary(Duration.ofSeconds(10))).as("keeps retrying").isTrue();
		assertThat(attempts.get()).isEqualTo(4);
		assertThat(a.epoch()).as("each attempt took, then gave back, an epoch").isEqualTo(4);
		this.group.advance(Duration.ofMillis(1));
		assertThat(this.group.changes()).extracting(RoleChange::isPromotion).containsExactly(true);
	}

	@Test
	void whileOnePromotionFailsAnotherInstanceTakesOver() {
		this.group.customize((builder) -> builder.onPromote((epoch) -> {
			throw new IllegalStateException("this instance can never be primary");
		}));
		Watcher broken = this.group.start("a");
		this.group.customize((builder) -> builder);
		this.group.start("b", CONFIG.toBuilder().role(Role.SECONDARY).build());
		assertThat(this.group.awaitPrimary(Duration.ofSeconds(5))).isTrue();
		assertThat(this.group.primary().instanceId()).isEqualTo("b");
		this.group.advance(Duration.ofSeconds(20));
		assertThat(broken.isPrimary()).isFalse();
		assertThat(this.group.primary().instanceId()).isEqualTo("b");
	}

	@Test
	void demoteCallbackRunsWhenThePrimaryStepsDown() {
		List<Long> demoted = new CopyOnWriteArrayList<>();
		this.group.customize((builder) -> builder.onDemote(demoted::add));
		Watcher a = this.group.start("a");
		this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION);
		CompletableFuture<Boolean> stepped = a.stepDown();
		assertThat(a.isPrimary()).as("stops acting at once").isFalse();
		this.group.advance(Duration.ofMillis(10));
		assertThat(stepped).isCompletedWithValue(true);
		assertThat(demoted).containsExactly(1L);
	}

	@Test
	void stepDownOnASecondaryDoesNothing() {
		this.group.start("a");
		Watcher b = this.group.start("b", CONFIG.toBuilder().role(Role.SECONDARY).build());
		this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION);
		CompletableFuture<Boolean> result = b.stepDown();
		this.group.advance(Duration.ofMillis(1));
		assertThat(result).isCompletedWithValue(false);
	}

	@Test
	void switchoverHandsTheRoleToTheNamedSuccessor() {
		this.group.startAll("a", "b", "c", "d");
		this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION);
		this.group.advance(Duration.ofSeconds(2));
		Watcher primary = this.group.primary();
		String successor = primary.instanceId().equals("c") ? "d" : "c";
		primary.switchover(successor);
		assertThat(this.group.awaitPrimaryOtherThan(primary.instanceId(), Duration.ofMillis(100))).isTrue();
		assertThat(this.group.primary().instanceId()).isEqualTo(successor);
		assertThatExceptionOfType(FailoverConfigException.class).isThrownBy(() -> primary.switchover("not an id!"));
	}

	@Test
	void listenersMayThrowAndMayUseTheirOwnExecutor() {
		List<String> seen = new CopyOnWriteArrayList<>();
		Watcher a = this.group.start("a");
		a.addListener((change) -> {
			throw new IllegalStateException("listener bug");
		});
		a.addListener((change) -> seen.add("direct " + change.newRole()));
		a.addListener((change) -> seen.add("executor " + change.newRole()), (task) -> {
			seen.add("handed over");
			task.run();
		});
		RoleChangeListener removed = (change) -> seen.add("removed");
		a.addListener(removed);
		a.removeListener(removed);
		this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION);
		this.group.advance(Duration.ofMillis(1));
		assertThat(seen).containsExactly("direct primary", "handed over", "executor primary");
	}

	@Test
	void listenersSeeTheNewRoleAlready() {
		List<String> seen = new CopyOnWriteArrayList<>();
		Watcher a = this.group.start("a");
		a.addListener((change) -> seen.add(change.newRole() + " isPrimary=" + a.isPrimary()));
		this.group.awaitPrimary(SimulatedGroup.FIRST_ELECTION);
		a.stepDown();
		this.group.advance(Duration.ofMillis(10));
		assertThat(seen).containsExactly("primary isPrimary=true", "secondary isPrimary=false");
	}

	@Test
	void convenienceFactoriesSetThePreferredRole() {
		InMemoryLog log = new InMemoryLog(new VirtualClock());
		Watcher primary = Watcher.forPrimary("orders", "a", log.connect("a"), CONFIG);
		Watcher secondary = Watcher.forSecondary("orders", "b", log.connect("b"), CONFIG);
		assertThat(primary.config().role()).isEqualTo(Role.PRIMARY);
		assertThat(secondary.config().role()).isEqualTo(Role.SECONDARY);
		assertThat(primary.group()).isEqualTo("orders");
		assertThat(secondary.instanceId()).isEqualTo("b");
	}

	@Test
	void invalidIdsAreRejectedWithTheProperty() {
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> watcher("has space", CONFIG))
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("instance-id"));
		assertThatExceptionOfType(FailoverConfigException.class)
			.isThrownBy(() -> Watcher.builder().instanceId("a").transport(this.group.log.connect("a")).build())
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("group"));
	}

	@Test
	void theDefaultInstanceIdIsHostAndPid() {
		assertThat(Watcher.defaultInstanceId()).endsWith("-" + ProcessHandle.current().pid())
			.matches(dev.failover.core.wire.RecordCodec.ID_PATTERN.pattern());
	}

	@Test
	void theRecordsAFailoverWaitsForAreSentPromptlyRelyingOnTheTransportsCheckOfTheLastRecord() {
		List<String> plain = new CopyOnWriteArrayList<>();
		List<String> prompt = new CopyOnWriteArrayList<>();
		Transport log = this.group.log.connect("a");
		Transport recording = new Transport() {

			@Override
			public CompletableFuture<Long> publish(String group, String key, byte[] value) {
				plain.add(type(value));
				return log.publish(group, key, value);
			}

			@Override
			public CompletableFuture<Long> publishPromptly(String group, String key, byte[] value,
					Duration checkedWithin) {
				prompt.add(type(value) + " relying on " + checkedWithin);
				return log.publishPromptly(group, key, value, checkedWithin);
			}

			@Override
			public Subscription subscribe(String group, long fromOffset, Duration progressInterval,
					LogListener listener) {
				return log.subscribe(group, fromOffset, progressInterval, listener);
			}

		};
		Watcher a = Watcher.builder()
			.group("orders")
			.instanceId("a")
			.transport(recording)
			.config(CONFIG)
			.clock(this.group.clock)
			.build();
		a.start();
		this.group.advance(SimulatedGroup.FIRST_ELECTION);
		assertThat(a.isPrimary()).isTrue();
		// the claim and the new primary's first heartbeat: what the group waits for
		assertThat(prompt).containsExactly("CLAIM relying on " + CONFIG.heartbeatInterval(),
				"HEARTBEAT relying on " + CONFIG.heartbeatInterval());
		this.group.advance(CONFIG.heartbeatInterval().multipliedBy(3));
		assertThat(plain).contains("STANDBY", "HEARTBEAT").doesNotContain("CLAIM", "SHUTDOWN");
		prompt.clear();

		CompletableFuture<Void> left = a.shutdownAsync();
		this.group.advance(Duration.ofSeconds(1));
		assertThat(left).isCompleted();
		assertThat(prompt).containsExactly("SHUTDOWN relying on " + CONFIG.heartbeatInterval());
		assertThat(plain).doesNotContain("SHUTDOWN");
	}

	private static String type(byte[] value) {
		if (value == null) {
			return "tombstone";
		}
		Matcher type = Pattern.compile("\"type\":\"([A-Z]+)\"").matcher(new String(value, StandardCharsets.UTF_8));
		return type.find() ? type.group(1) : "?";
	}

	private Watcher watcher(String id, FailoverConfig config) {
		return Watcher.builder()
			.group("orders")
			.instanceId(id)
			.transport(this.group.log.connect(id))
			.config(config)
			.clock(this.group.clock)
			.build();
	}

}
