package dev.failover.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The sample application's executable (Spring Boot fat) jar, as {@code mvn package} leaves
 * it in {@value #MODULE}{@code /target}.
 * <p>
 * Looked up, in order: the file named by the system property {@value #JAR_PROPERTY}; a
 * {@code failover-sample-app-*.jar} in {@value #MODULE}{@code /target} of the working
 * directory or any directory above it (so it is found from the repository root and from any
 * module, as Maven runs tests there).
 */
public final class SampleJar {

	/** The system property that names the jar to use instead of searching. */
	public static final String JAR_PROPERTY = "failover.sample.jar";

	/** The sample application's module directory, relative to the repository root. */
	public static final String MODULE = "failover-sample-app";

	private SampleJar() {
	}

	/**
	 * Returns the sample jar.
	 * @return the jar
	 * @throws IllegalStateException if it is not found, saying how to build it
	 */
	public static Path locate() {
		return find().orElseThrow(() -> new IllegalStateException("No sample application jar: found no " + MODULE
				+ "/target/" + MODULE + "-*.jar above " + workingDirectory() + ". Build it with 'mvn -q -DskipTests -pl "
				+ MODULE + " -am package' at the repository root, or set -D" + JAR_PROPERTY + "=<jar>"));
	}

	/**
	 * Returns the sample jar if there is one.
	 * @return the jar, or empty if it has not been built
	 * @throws IllegalStateException if {@value #JAR_PROPERTY} names a file that does not exist
	 */
	public static Optional<Path> find() {
		String named = System.getProperty(JAR_PROPERTY);
		if (named != null && !named.isBlank()) {
			Path jar = Path.of(named);
			if (!Files.isRegularFile(jar)) {
				throw new IllegalStateException("System property " + JAR_PROPERTY + " names " + jar + ", which is not a file");
			}
			return Optional.of(jar);
		}
		for (Path dir = workingDirectory(); dir != null; dir = dir.getParent()) {
			Optional<Path> jar = findIn(dir.resolve(MODULE).resolve("target"));
			if (jar.isPresent()) {
				return jar;
			}
		}
		return Optional.empty();
	}

	/**
	 * Finds the newest fat jar in a build directory; {@code -sources}, {@code -javadoc} and
	 * {@code .jar.original} files are not executable and are skipped.
	 * @param target the directory
	 * @return the jar, or empty if there is none
	 */
	static Optional<Path> findIn(Path target) {
		if (!Files.isDirectory(target)) {
			return Optional.empty();
		}
		try (Stream<Path> files = Files.list(target)) {
			return files.filter((file) -> {
				String name = file.getFileName().toString();
				return name.startsWith(MODULE + "-") && name.endsWith(".jar") && !name.endsWith("-sources.jar")
						&& !name.endsWith("-javadoc.jar") && Files.isRegularFile(file);
			}).max(Comparator.comparing(SampleJar::lastModified));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list " + target, ex);
		}
	}

	private static long lastModified(Path file) {
		try {
			return Files.getLastModifiedTime(file).toMillis();
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static Path workingDirectory() {
		return Path.of(System.getProperty("user.dir")).toAbsolutePath();
	}

}
