package dev.failover.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RoleTest {

	@Test
	void rolesAreWrittenInLowerCase() {
		assertThat(Role.PRIMARY).hasToString("primary");
		assertThat(Role.SECONDARY.label()).isEqualTo("secondary");
	}

	@Test
	void parsingIgnoresCaseAndBlanks() {
		assertThat(Role.of(" Primary ")).isEqualTo(Role.PRIMARY);
		assertThat(Role.of("SECONDARY")).isEqualTo(Role.SECONDARY);
	}

	@Test
	void unknownRoleIsRejectedWithTheChoices() {
		assertThatIllegalArgumentException().isThrownBy(() -> Role.of("leader"))
			.withMessageContaining("'leader'")
			.withMessageContaining("'primary' or 'secondary'");
		assertThatIllegalArgumentException().isThrownBy(() -> Role.of(null));
	}

	@Test
	void roleChangeIsAnEdgeWithReadableText() {
		RoleChange change = new RoleChange("a", "orders", Role.SECONDARY, Role.PRIMARY, 3,
				RoleChange.Cause.PRIMARY_SILENT, "primary 'b' silent", java.time.Instant.EPOCH, null);
		assertThat(change.isPromotion()).isTrue();
		assertThat(change.isDemotion()).isFalse();
		assertThat(change).hasToString("a secondary -> primary (group orders, epoch 3): primary 'b' silent");
		assertThatIllegalArgumentException().isThrownBy(() -> new RoleChange("a", "orders", Role.PRIMARY, Role.PRIMARY,
				3, RoleChange.Cause.STEPPED_DOWN, "x", java.time.Instant.EPOCH, null));
	}

}
