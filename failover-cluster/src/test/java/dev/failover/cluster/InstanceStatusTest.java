package dev.failover.cluster;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link InstanceStatus}, on bodies as the failover endpoint writes them.
 */
class InstanceStatusTest {

	private static final String SECONDARY = """
			{"enabled":true,"instanceId":"b","group":"failover-sample","role":"secondary","epoch":1,"primaryId":"a",
			"lastHeartbeat":"2026-11-27T02:23:53.559751010Z","heartbeatInterval":"1s","heartbeatTimeout":"3s",
			"logReachable":true,"members":[{"instanceId":"a","role":"primary","lastSeen":"2026-11-27T02:23:53.559745362Z",
			"self":false},{"instanceId":"b","role":"secondary","lastSeen":"2026-11-27T02:23:54.457788247Z","self":true}],
			"status":"group=failover-sample instance=b role=secondary epoch=1 primary=a"}""";

	@Test
	void parsesWhatASecondaryReports() {
		InstanceStatus status = InstanceStatus.parse(SECONDARY);

		assertThat(status.instanceId()).isEqualTo("b");
		assertThat(status.group()).isEqualTo("failover-sample");
		assertThat(status.isPrimary()).isFalse();
		assertThat(status.epoch()).isEqualTo(1);
		assertThat(status.primary()).contains("a");
		assertThat(status.lastHeartbeat()).isEqualTo(Instant.parse("2026-11-27T02:23:53.559751010Z"));
		assertThat(status.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(status.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(status.enabled()).isTrue();
		assertThat(status.logReachable()).isTrue();
		assertThat(status.members()).extracting(InstanceStatus.Member::instanceId).containsExactly("a", "b");
		assertThat(status.members().get(1).self()).isTrue();
		assertThat(status.summary()).startsWith("group=failover-sample");
		assertThat(status.outcome()).isNull();
	}

	@Test
	void parsesAnInstanceThatKnowsNoPrimaryYet() {
		InstanceStatus status = InstanceStatus.parse("""
				{"enabled":true,"instanceId":"c","group":"g","role":"secondary","epoch":0,"primaryId":null,
				"lastHeartbeat":null,"heartbeatInterval":"200ms","heartbeatTimeout":"1.5s","logReachable":false,
				"members":[],"status":"…"}""");

		assertThat(status.primary()).isEmpty();
		assertThat(status.lastHeartbeat()).isNull();
		assertThat(status.heartbeatAge(Instant.now())).isEmpty();
		assertThat(status.heartbeatInterval()).isEqualTo(Duration.ofMillis(200));
		assertThat(status.heartbeatTimeout()).isEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void parsesTheOutcomeOfAWrite() {
		InstanceStatus status = InstanceStatus.parse(SECONDARY.replace("}]", "}],\"outcome\":\"stepped down\""));

		assertThat(status.outcome()).isEqualTo("stepped down");
	}

	@Test
	void statusesAgreeWhenTheyNameTheSamePrimaryAtTheSameEpoch() {
		InstanceStatus b = InstanceStatus.parse(SECONDARY);
		InstanceStatus a = InstanceStatus.parse(SECONDARY.replace("\"instanceId\":\"b\",\"group\"", "\"instanceId\":\"a\",\"group\"")
			.replace("\"role\":\"secondary\",\"epoch\"", "\"role\":\"primary\",\"epoch\""));
		InstanceStatus later = InstanceStatus.parse(SECONDARY.replace("\"epoch\":1", "\"epoch\":2"));

		assertThat(a.isPrimary()).isTrue();
		assertThat(a.agreesWith(b)).isTrue();
		assertThat(later.agreesWith(b)).isFalse();
	}

	@Test
	void aMissingFieldIsNamed() {
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceStatus.parse(SECONDARY.replace("\"epoch\":1,", "")))
			.withMessageContaining("field 'epoch' must be an integer");
	}

	@Test
	void anErrorPageIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> InstanceStatus.parse("<html>503</html>"))
			.withMessageContaining("is not JSON");
	}

}
