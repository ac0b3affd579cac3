package dev.failover.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SampleJar}.
 */
class SampleJarTest {

	@TempDir
	Path target;

	@Test
	void findsTheNewestFatJarAndSkipsTheOthers() throws IOException {
		touch("failover-sample-app-0.1.0-SNAPSHOT.jar.original", 10);
		touch("failover-sample-app-0.1.0-SNAPSHOT-sources.jar", 10);
		touch("failover-sample-app-0.0.9.jar", 1);
		Path newest = touch("failover-sample-app-0.1.0-SNAPSHOT.jar", 5);

		assertThat(SampleJar.findIn(this.target)).contains(newest);
	}

	@Test
	void findsNothingInAnEmptyOrMissingDirectory() {
		assertThat(SampleJar.findIn(this.target)).isEmpty();
		assertThat(SampleJar.findIn(this.target.resolve("missing"))).isEmpty();
	}

	private Path touch(String name, long epochSecond) throws IOException {
		Path file = Files.createFile(this.target.resolve(name));
		Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(epochSecond)));
		return file;
	}

}
