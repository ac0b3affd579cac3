package dev.failover.bench.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.failover.cluster.SampleClusterBuilder;

/**
 * Settings of each instance that a scenario changes between restarts, as an operator rolls
 * a new configuration out: one properties file per instance in the cluster's work
 * directory, which the instance reads at start through
 * {@code spring.config.additional-location} (and which therefore outranks the sample's own
 * {@code application.yml}). The settings must not also be given as command-line arguments,
 * which would win.
 */
final class InstanceSettings {

	private final Path directory;

	private final Map<String, Map<String, String>> settings = new LinkedHashMap<>();

	private InstanceSettings(Path directory) {
		this.directory = directory;
	}

	/**
	 * Gives a cluster's instances settings files, all with the same initial settings.
	 * @param builder the cluster, whose work directory is set here
	 * @param ids the instance ids
	 * @param initial the settings every instance starts with
	 * @return the files, to change before a restart
	 */
	static InstanceSettings of(SampleClusterBuilder builder, List<String> ids, Map<String, String> initial) {
		Path directory;
		try {
			directory = Files.createTempDirectory("failover-cluster-");
			Files.createDirectories(directory.resolve("settings"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a work directory", ex);
		}
		// the cluster owns the directory from now on: kept or deleted as any work directory
		builder.workDir(directory).keepWorkDir(false);
		InstanceSettings files = new InstanceSettings(directory);
		for (String id : ids) {
			files.set(id, initial);
			builder.appArgs(id, new String[] {
					"--spring.config.additional-location=optional:file:" + files.file(id).toAbsolutePath() });
		}
		return files;
	}

	/**
	 * Replaces an instance's settings; it reads them when it next starts.
	 * @param id the instance
	 * @param values the properties, such as {@code failover.heartbeat-timeout=3s}
	 */
	synchronized void set(String id, Map<String, String> values) {
		this.settings.put(id, new LinkedHashMap<>(values));
		String text = values.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining("\n", "# written by the fault suite; read when the instance starts\n", "\n"));
		try {
			Files.writeString(file(id), text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the settings of '" + id + "'", ex);
		}
	}

	/**
	 * Returns the settings an instance runs with since its last start, or will at its next.
	 * @param id the instance
	 * @return the properties
	 */
	synchronized Map<String, String> get(String id) {
		return Map.copyOf(this.settings.get(id));
	}

	private Path file(String id) {
		return this.directory.resolve("settings").resolve(id + ".properties");
	}

}
