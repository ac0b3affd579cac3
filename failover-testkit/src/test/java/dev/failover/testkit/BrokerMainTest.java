package dev.failover.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerMainTest {

	@Test
	void acceptsEveryDocumentedOption() {
		assertThat(BrokerMain.parse(new String[] { "--port", "9092", "--controller-port", "9093", "--data-dir", "d",
				"--property", "auto.create.topics.enable=true" }))
			.isNotNull();
	}

	@Test
	void returnsNoBuilderForHelp() {
		assertThat(BrokerMain.parse(new String[] { "--help" })).isNull();
		assertThat(BrokerMain.USAGE).contains("--port", "--data-dir");
	}

	@Test
	void namesTheBadOption() {
		assertThatThrownBy(() -> BrokerMain.parse(new String[] { "--prot", "1" })).hasMessageContaining("--prot");
		assertThatThrownBy(() -> BrokerMain.parse(new String[] { "--port" })).hasMessageContaining("--port needs a value");
		assertThatThrownBy(() -> BrokerMain.parse(new String[] { "--port", "x" })).hasMessageContaining("--port");
		assertThatThrownBy(() -> BrokerMain.parse(new String[] { "--port", "70000" })).hasMessageContaining("70000");
		assertThatThrownBy(() -> BrokerMain.parse(new String[] { "--property", "novalue" }))
			.hasMessageContaining("KEY=VALUE");
	}

}
