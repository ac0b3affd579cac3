package dev.failover.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimeClasspathTest {

	@TempDir
	Path dir;

	@Test
	void findsTheClasspathFileAboveTheWorkingDirectory() throws IOException {
		Path jar = Files.createFile(this.dir.resolve("kafka_2.13-4.1.2.jar"));
		Path file = this.dir.resolve(RuntimeClasspath.RELATIVE_FILE);
		Files.createDirectories(file.getParent());
		Files.writeString(file, jar + "\n");
		Path nested = Files.createDirectories(this.dir.resolve("failover-sample-app/src"));

		assertThat(RuntimeClasspath.locate(new Properties(), nested)).isEqualTo(jar.toString());
	}

	@Test
	void prefersTheFileNamedBySystemProperty() throws IOException {
		Path jar = Files.createFile(this.dir.resolve("kafka_2.13-custom.jar"));
		Path file = Files.writeString(this.dir.resolve("cp.txt"), jar.toString());
		Properties properties = new Properties();
		properties.setProperty(RuntimeClasspath.FILE_PROPERTY, file.toString());

		assertThat(RuntimeClasspath.locate(properties, this.dir)).isEqualTo(jar.toString());
	}

	@Test
	void namesThePropertyWhenItsFileIsMissing() {
		Properties properties = new Properties();
		properties.setProperty(RuntimeClasspath.FILE_PROPERTY, this.dir.resolve("missing.txt").toString());

		assertThatThrownBy(() -> RuntimeClasspath.locate(properties, this.dir))
			.hasMessageContaining(RuntimeClasspath.FILE_PROPERTY)
			.hasMessageContaining("missing.txt");
	}

	@Test
	void rejectsAStaleFileNamingTheMissingJar() throws IOException {
		Path file = this.dir.resolve(RuntimeClasspath.RELATIVE_FILE);
		Files.createDirectories(file.getParent());
		Files.writeString(file, this.dir.resolve("gone/kafka_2.13-0.jar").toString());

		assertThatThrownBy(() -> RuntimeClasspath.locate(new Properties(), this.dir)).hasMessageContaining("stale")
			.hasMessageContaining("kafka_2.13-0.jar");
	}

	@Test
	void fallsBackToTheJvmClassPathWhenItHoldsKafka() {
		Properties properties = new Properties();
		properties.setProperty("java.class.path", "/libs/kafka_2.13-4.1.2.jar");

		assertThat(RuntimeClasspath.locate(properties, this.dir)).isEqualTo("/libs/kafka_2.13-4.1.2.jar");
	}

	@Test
	void explainsHowToBuildTheFileWhenNothingIsFound() {
		assertThatThrownBy(() -> RuntimeClasspath.locate(new Properties(), this.dir))
			.hasMessageContaining("generate-resources")
			.hasMessageContaining(RuntimeClasspath.FILE_PROPERTY);
	}

}
