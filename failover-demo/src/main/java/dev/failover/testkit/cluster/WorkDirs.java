package dev.failover.testkit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deletes a cluster's work directory.
 */
final class WorkDirs {

	private WorkDirs() {
	}

	/**
	 * Deletes a directory and everything below it; does nothing if it does not exist.
	 * @param dir the directory
	 * @throws UncheckedIOException if something cannot be deleted
	 */
	static void deleteRecursively(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		List<Path> paths;
		try (Stream<Path> walk = Files.walk(dir)) {
			// deepest first, so every directory is empty when its turn comes
			paths = walk.sorted(Comparator.reverseOrder()).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list directory " + dir, ex);
		}
		for (Path path : paths) {
			try {
				Files.deleteIfExists(path);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot delete " + path, ex);
			}
		}
	}

}
