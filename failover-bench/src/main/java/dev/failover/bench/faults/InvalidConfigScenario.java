package dev.failover.bench.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.failover.testkit.Directories;
import dev.failover.testkit.FreePorts;
import dev.failover.testkit.JavaProcess;

/**
 * Invalid configurations, each of which the sample application must refuse at startup: the
 * process exits with a non-zero code and its failure analysis names the property.
 * <p>
 * No broker is started: every setting is rejected before anything connects (the bootstrap
 * address is a port nobody listens on). Two applications start at a time, one per core.
 */
final class InvalidConfigScenario implements Scenario {

	private static final Duration EXIT = Duration.ofSeconds(90);

	private static final String FAILED = "APPLICATION FAILED TO START";

	private static final int PARALLEL = 2;

	@Override
	public String name() {
		return "invalid-config";
	}

	@Override
	public String description() {
		return InvalidConfig.all().size() + " invalid settings: each start exits non-zero, naming the property";
	}

	@Override
	public ScenarioResult run(SuiteSettings settings) {
		long started = System.nanoTime();
		Path dir;
		try {
			dir = Files.createTempDirectory("failover-invalid-config-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Check> checks = Collections.synchronizedList(new ArrayList<>());
		Throwable error = null;
		ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
		try {
			List<Future<Check>> futures = new ArrayList<>();
			int n = 0;
			for (InvalidConfig config : InvalidConfig.all()) {
				int index = ++n;
				futures.add(pool.submit(() -> attempt(settings, dir, config, index)));
			}
			for (Future<Check> future : futures) {
				Check check = future.get();
				checks.add(check);
				settings.log(name(), (check.passed() ? "refused: " : "FAILED: ") + check.name() + " - " + check.detail());
			}
		}
		catch (Exception ex) {
			error = ex;
		}
		finally {
			pool.shutdownNow();
		}
		boolean passed = error == null && checks.stream().allMatch(Check::passed);
		boolean keep = !passed || settings.keepWorkDirs();
		if (!keep) {
			Directories.deleteRecursively(dir);
		}
		return new ScenarioResult(name(), checks, List.of(), List.of(), Optional.empty(),
				Duration.ofNanos(System.nanoTime() - started), error, keep ? dir : null);
	}

	private Check attempt(SuiteSettings settings, Path dir, InvalidConfig config, int index) {
		List<String> args = new ArrayList<>();
		args.add("--server.port=" + FreePorts.next());
		args.add("--spring.kafka.bootstrap-servers=" + FreePorts.HOST + ":" + FreePorts.next());
		args.add("--spring.main.banner-mode=off");
		// the sample's ledger topic would otherwise be created at startup: 30 s of retries without a broker
		args.add("--spring.kafka.admin.auto-create=false");
		if (config.args().stream().noneMatch((arg) -> arg.startsWith("--failover.instance-id="))) {
			args.add("--failover.instance-id=config-" + index);
		}
		args.addAll(config.args());
		Path log = dir.resolve("config-" + index + ".log");
		JavaProcess process = JavaProcess.builder("invalid-config-" + index)
			.jar(settings.sampleJar().toAbsolutePath())
			// a start that fails in seconds: the quick compiler and a small heap
			.jvmArgs("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
					"-Djava.io.tmpdir=" + dir.toAbsolutePath())
			.args(args)
			.workingDirectory(dir)
			.logFile(log)
			.start();
		String name = config.property() + " (" + config.label() + ")";
		if (!process.waitFor(EXIT)) {
			process.kill();
			return Check.of(name, false, "still running " + EXIT.toSeconds() + " s after start: the setting was accepted");
		}
		int code = process.exitCode().orElse(-1);
		String analysis = failureAnalysis(log);
		boolean named = analysis.contains(config.property());
		String firstLine = analysis.lines().filter((line) -> line.contains(config.property())).findFirst()
			.orElse(analysis.isEmpty() ? "no failure analysis in the log" : "the analysis does not name it");
		return Check.of(name, code != 0 && named, "exit code " + code + "; " + firstLine.strip());
	}

	/** The failure report after Boot's banner line; the command line in the log header must not count. */
	private static String failureAnalysis(Path log) {
		String text;
		try {
			text = Files.readString(log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
		int at = text.lastIndexOf(FAILED);
		return (at >= 0) ? text.substring(at) : "";
	}

}
