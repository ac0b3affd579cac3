package dev.failover.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Deletes the temporary directories the suite and the benchmark create.
 */
public final class TempDirs {

	private TempDirs() {
	}

	/**
	 * Deletes a directory and everything in it; a missing directory is fine.
	 * @param dir the directory
	 */
	public static void deleteRecursively(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete " + dir, ex);
		}
	}

}
