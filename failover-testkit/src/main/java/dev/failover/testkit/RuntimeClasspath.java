package dev.failover.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The classpath a child broker JVM is started with: the runtime classpath of this module,
 * which the build writes to {@value #RELATIVE_FILE} during {@code generate-resources}.
 * <p>
 * Looked up, in order: the file named by the system property {@value #FILE_PROPERTY};
 * the file found by searching upwards from the working directory (so it works from the
 * repository root, from any module, and from tests run by Maven or an IDE); the class path
 * of the current JVM, if it holds {@code kafka_2.13} (a test of this module, or an
 * application that depends on it).
 */
public final class RuntimeClasspath {

	/** The system property that names a classpath file to use instead of searching. */
	public static final String FILE_PROPERTY = "failover.testkit.classpath-file";

	/** Where the build writes the classpath file, relative to the repository root. */
	public static final String RELATIVE_FILE = "failover-testkit/target/runtime-classpath.txt";

	private static final String KAFKA_JAR = "kafka_2.13";

	private RuntimeClasspath() {
	}

	/**
	 * Returns the classpath for a child broker JVM, as a path-separated string.
	 * @return the classpath
	 * @throws IllegalStateException if none is found, saying how to produce one
	 */
	public static String locate() {
		return locate(System.getProperties(), Path.of(System.getProperty("user.dir")));
	}

	static String locate(Properties properties, Path workingDirectory) {
		String named = properties.getProperty(FILE_PROPERTY);
		if (named != null && !named.isBlank()) {
			Path file = Path.of(named);
			if (!Files.isRegularFile(file)) {
				throw new IllegalStateException("System property " + FILE_PROPERTY + " names " + file
						+ ", which is not a file");
			}
			return read(file);
		}
		for (Path dir = workingDirectory.toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path file = dir.resolve(RELATIVE_FILE);
			if (Files.isRegularFile(file)) {
				return read(file);
			}
		}
		String own = properties.getProperty("java.class.path", "");
		if (own.contains(KAFKA_JAR)) {
			return own;
		}
		throw new IllegalStateException("No broker classpath: found no " + RELATIVE_FILE + " above "
				+ workingDirectory.toAbsolutePath() + " and no " + KAFKA_JAR + " on this JVM's class path. Run "
				+ "'mvn -q -pl failover-testkit generate-resources' at the repository root, or set -D"
				+ FILE_PROPERTY + "=<file>");
	}

	private static String read(Path file) {
		String classpath;
		try {
			classpath = Files.readString(file, StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read classpath file " + file, ex);
		}
		// a classpath written by an older build may point at jars since removed from the local repository
		List<String> missing = Arrays.stream(classpath.split(File.pathSeparator))
			.filter((entry) -> !entry.isBlank() && !Files.exists(Path.of(entry)))
			.collect(Collectors.toList());
		if (classpath.isEmpty() || !classpath.contains(KAFKA_JAR) || !missing.isEmpty()) {
			throw new IllegalStateException("Classpath file " + file + " is stale or incomplete (missing: " + missing
					+ "); rebuild it with 'mvn -q -pl failover-testkit generate-resources'");
		}
		return classpath;
	}

}
