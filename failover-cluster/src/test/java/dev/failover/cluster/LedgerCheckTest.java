package dev.failover.cluster;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LedgerCheck} on synthetic ledgers.
 */
class LedgerCheckTest {

	@Test
	void aLedgerOfSuccessivePrimariesHasNoViolations() {
		LedgerReport report = check(record(0, "a", 1, 1), record(2, "a", 1, 2), record(4, "a", 1, 3), record(6, "b", 2, 1),
				record(8, "b", 2, 2), record(10, "a", 3, 1));

		assertThat(report.ok()).isTrue();
		assertThat(report.violations()).isEmpty();
		assertThat(report.records()).isEqualTo(6);
		assertThat(report.writers()).containsExactly("a", "b");
		assertThat(report.epochs()).containsExactly(1L, 2L, 3L);
		assertThat(report.perEpoch()).containsExactly(new EpochSummary(1, "a", 3, 0, 4), new EpochSummary(2, "b", 2, 6, 8),
				new EpochSummary(3, "a", 1, 10, 10));
		assertThat(report.describe()).isEqualTo("6 records, 2 writers, 3 epochs, 0 violations");
	}

	@Test
	void anEmptyLedgerHasNoViolations() {
		LedgerReport report = new LedgerCheck().report();

		assertThat(report.ok()).isTrue();
		assertThat(report.records()).isZero();
		assertThat(report.epochs()).isEmpty();
	}

	@Test
	void epochsMaySkipNumbersWhenAPrimaryNeverWrote() {
		assertThat(check(record(0, "a", 1, 1), record(1, "c", 4, 1)).ok()).isTrue();
	}

	@Test
	void aDeposedPrimaryWritingAfterItsSuccessorsFirstRecordIsAViolation() {
		LedgerReport report = check(record(0, "a", 1, 1), record(1, "b", 2, 1), record(2, "a", 1, 2), record(3, "b", 2, 2));

		assertThat(report.ok()).isFalse();
		assertThat(report.violationCount()).isEqualTo(1);
		assertThat(report.violations()).singleElement()
			.asString()
			.startsWith("offset 2: 'a' wrote epoch 1 (seq 2) after epoch 2 began at offset 1")
			.contains("deposed primary");
	}

	@Test
	void twoWritersInOneEpochAreAViolation() {
		LedgerReport report = check(record(0, "a", 1, 1), record(1, "b", 1, 2));

		assertThat(report.violations()).singleElement()
			.asString()
			.startsWith("offset 1: epoch 1 written by 'b', but it belongs to 'a' (first record at offset 0)");
		assertThat(report.writers()).containsExactly("a", "b");
	}

	@Test
	void aRepeatedSequenceNumberIsAViolation() {
		LedgerReport report = check(record(0, "a", 1, 1), record(1, "a", 1, 2), record(2, "a", 1, 2));

		assertThat(report.violations()).singleElement().asString().startsWith("offset 2: seq 2 of epoch 1 after seq 2");
	}

	@Test
	void sequenceNumbersStartAgainInEachEpoch() {
		assertThat(check(record(0, "a", 1, 5), record(1, "b", 2, 1), record(2, "b", 2, 2)).ok()).isTrue();
	}

	@Test
	void gapsInSequenceNumbersAreAllowedBecauseAbortedWritesAreNotRead() {
		assertThat(check(record(0, "a", 1, 1), record(1, "a", 1, 4)).ok()).isTrue();
	}

	@Test
	void rawRecordsAreParsed() {
		LedgerCheck check = new LedgerCheck();
		check.accept(0, "{\"instanceId\":\"a\",\"epoch\":1,\"seq\":1,\"at\":\"2026-01-01T00:00:00Z\"}");
		check.accept(2, "{\"instanceId\":\"b\",\"epoch\":2,\"seq\":1,\"at\":\"2026-01-01T00:00:01Z\"}");

		LedgerReport report = check.report();

		assertThat(report.ok()).isTrue();
		assertThat(report.epoch(2)).isEqualTo(new EpochSummary(2, "b", 1, 2, 2));
		assertThat(report.epoch(3)).isNull();
	}

	@Test
	void aRecordThatIsNotALedgerRecordIsAViolation() {
		LedgerCheck check = new LedgerCheck();
		check.accept(0, "not json");
		check.accept(1, "{\"instanceId\":\"a\",\"epoch\":\"one\",\"seq\":1}");
		check.accept(2, null);

		LedgerReport report = check.report();

		assertThat(report.records()).isEqualTo(3);
		assertThat(report.violations()).hasSize(3)
			.allSatisfy((violation) -> assertThat(violation).contains("not a ledger record"));
		assertThat(report.violations().get(1)).contains("field 'epoch' must be an integer");
	}

	@Test
	void manyViolationsAreCountedButOnlyTheFirstAreListed() {
		LedgerCheck check = new LedgerCheck();
		check.accept(record(0, "a", 2, 1));
		for (int i = 1; i <= LedgerCheck.MAX_REPORTED + 50; i++) {
			check.accept(record(i, "a", 1, i));
		}

		LedgerReport report = check.report();

		assertThat(report.violationCount()).isEqualTo(LedgerCheck.MAX_REPORTED + 50);
		assertThat(report.violations()).hasSize(LedgerCheck.MAX_REPORTED);
	}

	private static LedgerReport check(LedgerRecord... records) {
		LedgerCheck check = new LedgerCheck();
		List.of(records).forEach(check::accept);
		return check.report();
	}

	private static LedgerRecord record(long offset, String instanceId, long epoch, long seq) {
		return new LedgerRecord(offset, instanceId, epoch, seq, "2026-01-01T00:00:00Z");
	}

}
