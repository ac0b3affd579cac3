package dev.failover.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import dev.failover.core.internal.election.GroupLog;
import dev.failover.core.wire.DecodeResult;
import dev.failover.core.wire.RecordCodec;
import dev.failover.core.support.Fault;
import dev.failover.core.support.Fault.Kind;
import dev.failover.core.support.SimulatedGroup;
import dev.failover.core.testing.InMemoryLog;
import dev.failover.core.spi.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Folding a group's log and folding what Kafka's log cleaner keeps of it agree: for logs
 * written by groups of watchers under random crashes, restarts, pauses, delays, partitions,
 * switchovers, step-downs and shutdowns, and any cut point older than the compaction lag
 * (the latest record per key kept before the cut, everything from it on), the two folds end
 * with the same epoch, highest epoch, primary, vacancy and grant; so does every prefix that
 * ends a lag or more after the cut. This is what lets a member that joins after compaction
 * make the decisions of those that read everything.
 */
class CompactionProperties {

	private static final FailoverConfig CONFIG = SimulatedGroup.FAST;

	/** The compaction lag the documentation asks for: several timeouts. */
	private static final Duration LAG = CONFIG.heartbeatTimeout().multipliedBy(2);

	private static final RecordCodec CODEC = new RecordCodec(64 * 1024, null);

	@Property(tries = 1000, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
	void foldingTheCompactedLogAgreesWithFoldingAllOfIt(@ForAll @IntRange(min = 2, max = 5) int size,
			@ForAll("schedules") List<Fault> faults, @ForAll @DoubleRange(min = 0, max = 1) double cutAt,
			@ForAll long seed) {
		List<InMemoryLog.Entry> log = writeLog(size, faults, seed);
		long end = log.get(log.size() - 1).appendedAtNanos();
		// records younger than the lag are never cleaned: the cut lies before them
		long youngest = log.stream()
			.filter((entry) -> entry.appendedAtNanos() > end - LAG.toNanos())
			.mapToLong(InMemoryLog.Entry::offset)
			.min()
			.orElse(log.size());
		long cut = (long) (cutAt * youngest);
		List<InMemoryLog.Entry> compacted = compact(log, cut);
		long compareFrom = appendedAt(log, cut) + LAG.toNanos();
		// every prefix that ends a lag or more after the cut (the log as some member read it)
		Folder full = new Folder();
		Folder kept = new Folder();
		int next = 0;
		for (InMemoryLog.Entry entry : log) {
			full.apply(entry);
			while (next < compacted.size() && compacted.get(next).offset() <= entry.offset()) {
				kept.apply(compacted.get(next++));
			}
			if (entry.offset() >= cut && entry.appendedAtNanos() >= compareFrom) {
				assertThat(kept.state()).as("fold up to offset %d of the log compacted before offset %d", entry.offset(), cut)
					.isEqualTo(full.state());
			}
		}
	}

	private static long appendedAt(List<InMemoryLog.Entry> log, long offset) {
		return log.stream()
			.filter((entry) -> entry.offset() >= offset)
			.mapToLong(InMemoryLog.Entry::appendedAtNanos)
			.findFirst()
			.orElse(Long.MAX_VALUE);
	}

	private static List<InMemoryLog.Entry> writeLog(int size, List<Fault> faults, long seed) {
		try (SimulatedGroup group = new SimulatedGroup("orders", CONFIG, seed)) {
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < size; i++) {
				ids.add("i" + i);
				group.start("i" + i);
			}
			var faultLoop = group.clock.newEventLoop("faults");
			group.advance(SimulatedGroup.FIRST_ELECTION);
			for (Fault fault : faults) {
				group.advance(Duration.ofMillis(fault.afterMillis()));
				fault.applyTo(group, faultLoop, ids);
			}
			group.advance(Duration.ofSeconds(10));
			group.log.healAll();
			for (String id : ids) {
				group.resumeProcess(id);
			}
			group.advance(LAG.multipliedBy(2));
			return group.log.entries();
		}
	}

	/** Kafka's cleaner: before the cut, the latest record of each key, and no tombstones. */
	private static List<InMemoryLog.Entry> compact(List<InMemoryLog.Entry> log, long cut) {
		Map<String, Long> latest = new HashMap<>();
		for (InMemoryLog.Entry entry : log) {
			if (entry.offset() < cut) {
				latest.put(entry.key(), entry.offset());
			}
		}
		List<InMemoryLog.Entry> kept = new ArrayList<>();
		for (InMemoryLog.Entry entry : log) {
			if (entry.offset() >= cut
					|| (Objects.equals(latest.get(entry.key()), entry.offset()) && entry.value() != null)) {
				kept.add(entry);
			}
		}
		return kept;
	}

	/** A fold of the group's records, one entry at a time. */
	private static final class Folder {

		private final GroupLog fold = new GroupLog("orders");

		void apply(InMemoryLog.Entry entry) {
			if (entry.value() == null || !Transport.isGroupRecord("orders", entry.key())) {
				return;
			}
			DecodeResult decoded = CODEC.decode(entry.value());
			if (decoded.isAccepted()) {
				this.fold.apply(entry.offset(), decoded.record());
			}
		}

		State state() {
			boolean primary = this.fold.hasPrimary();
			return new State(this.fold.epoch(), this.fold.maxEpoch(), primary ? this.fold.primaryId() : null,
					primary ? this.fold.primarySession() : null, this.fold.isVacant(), this.fold.isGranted());
		}

	}

	/** What the election's decisions depend on. */
	record State(long epoch, long maxEpoch, String primary, String session, boolean vacant, boolean granted) {
	}

	@Provide
	Arbitrary<List<Fault>> schedules() {
		Arbitrary<Fault> fault = Combinators
			.combine(Arbitraries.of(Kind.CRASH, Kind.RESTART, Kind.PAUSE, Kind.DELAY, Kind.PARTITION, Kind.SWITCHOVER,
					Kind.STEP_DOWN, Kind.SHUTDOWN, Kind.LATE_CLAIM), Arbitraries.integers().between(0, 4),
					Arbitraries.integers().between(0, 6000), Arbitraries.integers().between(100, 8000),
					Arbitraries.integers().between(0, 4))
			.as(Fault::new);
		return fault.list().ofMinSize(1).ofMaxSize(10);
	}

}
