package dev.failover.core.wire;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input never escapes the codec as an exception: every byte string is either a
 * record or a rejection with a reason.
 */
class RecordCodecProperties {

	private final RecordCodec codec = new RecordCodec(4096, null);

	private final RecordCodec signing = new RecordCodec(4096, "a-shared-secret-of-the-group");

	@Property(tries = 2000)
	void randomBytesAreRejectedNotThrown(@ForAll byte[] bytes) {
		DecodeResult result = this.codec.decode(bytes);
		assertThat(result.isAccepted() || result.rejectReason() != null).isTrue();
		assertThat(this.signing.decode(bytes).isAccepted()).isFalse();
	}

	@Property(tries = 2000)
	void mutatedRecordsAreHandled(@ForAll("mutations") String text) {
		DecodeResult result = this.codec.decode(text.getBytes(StandardCharsets.UTF_8));
		if (!result.isAccepted()) {
			assertThat(result.rejectReason()).isNotNull();
			assertThat(result.detail()).isNotBlank();
		}
	}

	@Provide
	Arbitrary<String> mutations() {
		String valid = new String(this.codec.encode(RecordCodecTest.heartbeat(3, 17)), StandardCharsets.UTF_8);
		Arbitrary<Integer> position = Arbitraries.integers().between(0, valid.length());
		Arbitrary<String> junk = Arbitraries.strings().withChars("{}[]\":,\\ 0123456789-.eEtrufalsn\u00e9").ofMaxLength(8);
		return net.jqwik.api.Combinators.combine(position, position, junk).as((from, to, insert) -> {
			int start = Math.min(from, to);
			int end = Math.max(from, to);
			return valid.substring(0, start) + insert + valid.substring(end);
		});
	}

}
