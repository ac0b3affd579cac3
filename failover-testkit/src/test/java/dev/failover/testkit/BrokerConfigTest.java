package dev.failover.testkit;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerConfigTest {

	@Test
	void advertisesEachExtraListenerAtItsOwnAdvertisedPort() throws IOException {
		BrokerConfig config = new BrokerConfig(9092, 9093, Path.of("/data/kafka-logs"),
				List.of(new ExtraListener("INST1", 9100, 9200)), Map.of());

		Properties properties = load(config);

		assertThat(properties.getProperty("listeners"))
			.isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,INST1://127.0.0.1:9100");
		assertThat(properties.getProperty("advertised.listeners"))
			.isEqualTo("PLAINTEXT://127.0.0.1:9092,INST1://127.0.0.1:9200");
		assertThat(properties.getProperty("listener.security.protocol.map"))
			.isEqualTo("CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,INST1:PLAINTEXT");
		assertThat(properties.getProperty("controller.quorum.bootstrap.servers")).isEqualTo("127.0.0.1:9093");
		assertThat(properties.getProperty("log.dirs")).isEqualTo(Path.of("/data/kafka-logs").toAbsolutePath().toString());
	}

	@Test
	void letsOverridesWin() throws IOException {
		BrokerConfig config = new BrokerConfig(9092, 9093, Path.of("logs"), List.of(),
				Map.of("auto.create.topics.enable", "true", "log.retention.ms", "1000"));

		Properties properties = load(config);

		assertThat(properties.getProperty("auto.create.topics.enable")).isEqualTo("true");
		assertThat(properties.getProperty("log.retention.ms")).isEqualTo("1000");
		assertThat(properties.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
	}

	@Test
	void aClusterNodeNamesItsStaticVotersAndReachesItsPeersThroughItsOwnListener() throws IOException {
		BrokerConfig config = new BrokerConfig(9092, 9093, Path.of("logs"),
				List.of(new ExtraListener("FROM1", 9101, 9201), new ExtraListener("FROM2", 9102, 9202)), Map.of(),
				new BrokerConfig.Membership(2, "1@127.0.0.1:9301,2@127.0.0.1:9093", "FROM2"));

		Properties properties = load(config);

		assertThat(properties.getProperty("node.id")).isEqualTo("2");
		assertThat(properties.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9301,2@127.0.0.1:9093");
		assertThat(properties.getProperty("controller.quorum.bootstrap.servers")).isNull();
		assertThat(properties.getProperty("inter.broker.listener.name")).isEqualTo("FROM2");
	}

	private static Properties load(BrokerConfig config) throws IOException {
		Properties properties = new Properties();
		properties.load(new StringReader(config.serverProperties()));
		return properties;
	}

}
