package dev.failover.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RoleLogEntry}, on lines as the sample app writes them.
 */
class RoleLogEntryTest {

	private static final String PROMOTION = "{\"instanceId\":\"b\",\"from\":\"secondary\",\"to\":\"primary\",\"epoch\":2,"
			+ "\"cause\":\"PRIMARY_SILENT\",\"at\":\"2026-11-27T02:24:05.289Z\",\"sinceLastHeartbeatMs\":3008}";

	private static final String DEMOTION = "{\"instanceId\":\"b\",\"from\":\"primary\",\"to\":\"secondary\",\"epoch\":2,"
			+ "\"cause\":\"STEPPED_DOWN\",\"at\":\"2026-11-27T02:25:00Z\",\"sinceLastHeartbeatMs\":-1}";

	@TempDir
	Path dir;

	@Test
	void parsesAPromotion() {
		RoleLogEntry entry = RoleLogEntry.parse(PROMOTION);

		assertThat(entry).isEqualTo(new RoleLogEntry("b", "secondary", "primary", 2, "PRIMARY_SILENT",
				Instant.parse("2026-11-27T02:24:05.289Z"), 3008));
		assertThat(entry.isPromotion()).isTrue();
		assertThat(RoleLogEntry.parse(DEMOTION).isPromotion()).isFalse();
	}

	@Test
	void readsEveryCompleteLineAndSkipsAHalfWrittenOne() throws IOException {
		Path file = this.dir.resolve("b-roles.jsonl");
		Files.writeString(file, PROMOTION + "\n" + DEMOTION + "\n" + "{\"instanceId\":\"b\",\"fr");

		assertThat(RoleLogEntry.readAll(file)).extracting(RoleLogEntry::cause).containsExactly("PRIMARY_SILENT", "STEPPED_DOWN");
	}

	@Test
	void aMissingFileHasNoEntries() {
		assertThat(RoleLogEntry.readAll(this.dir.resolve("missing.jsonl"))).isEmpty();
	}

	@Test
	void aLineWithoutATimeIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> RoleLogEntry.parse(PROMOTION.replace("\"at\"", "\"when\"")))
			.withMessageContaining("field 'at'");
	}

}
