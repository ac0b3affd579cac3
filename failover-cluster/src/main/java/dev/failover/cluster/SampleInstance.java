package dev.failover.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import dev.failover.testkit.FreePorts;
import dev.failover.testkit.JavaProcess;
import dev.failover.testkit.Sleeps;

/**
 * One sample-app process ({@code java -jar failover-sample-app.jar}) with a fixed id and HTTP
 * port: start it, crash it, stop it, freeze it, restart it, and ask it what it knows.
 * <p>
 * The id and port survive restarts, so a restarted instance is the same member of the group
 * at the same address. Each run appends to the same {@linkplain #logFile() log file}, after
 * a header line; temporary files go to {@code tmp/<id>} in the working directory (unless the
 * JVM options set {@code java.io.tmpdir}). Observations go through the Actuator endpoint:
 * {@link #status()} parses {@code GET /actuator/failover}, {@link #stepDown()} posts a
 * step-down there.
 * <pre class="code">
 * SampleInstance a = SampleInstance.builder("a")
 *     .bootstrapServers(broker.bootstrapServers())
 *     .workingDirectory(dir)
 *     .appArgs(List.of("--failover.heartbeat-timeout=2s"))
 *     .build();
 * a.start();
 * a.awaitHealthy(Duration.ofSeconds(60));
 * a.status().isPrimary();
 * a.kill();      // kill -9
 * a.start();     // same id, same port
 * </pre>
 * Instances are thread-safe. A process still running when this JVM exits is killed by the
 * testkit's shutdown hook.
 */
public final class SampleInstance implements AutoCloseable {

	private static final Duration POLL = Duration.ofMillis(100);

	private static final Duration STEP_DOWN_TIMEOUT = Duration.ofSeconds(30);

	private static final Pattern JOINED = Pattern.compile("Instance '[^']+' joined group '[^']+' as secondary");

	private final String id;

	private final Path jar;

	private final int httpPort;

	private final String bootstrapServers;

	private final String listener;

	private final List<String> jvmArgs;

	private final List<String> appArgs;

	private final Path logFile;

	private final Path workingDirectory;

	private final Path roleLogFile;

	private final Duration requestTimeout;

	private final HttpJson http;

	private volatile JavaProcess process;

	private volatile int starts;

	SampleInstance(SampleInstanceBuilder builder, Path jar, int httpPort, Path logFile) {
		this.id = builder.id;
		this.jar = jar;
		this.httpPort = httpPort;
		this.bootstrapServers = builder.bootstrapServers;
		this.listener = builder.listener;
		this.jvmArgs = List.copyOf(builder.jvmArgs);
		this.appArgs = List.copyOf(builder.appArgs);
		this.logFile = logFile;
		this.workingDirectory = builder.workingDirectory;
		this.roleLogFile = builder.roleLogFile;
		this.requestTimeout = builder.requestTimeout;
		this.http = new HttpJson(baseUrl());
	}

	/**
	 * Returns a builder for an instance.
	 * @param id the instance id ({@code failover.instance-id})
	 * @return a new builder
	 */
	public static SampleInstanceBuilder builder(String id) {
		return new SampleInstanceBuilder(id);
	}

	/**
	 * Returns the instance id.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Returns the HTTP port of the application and its Actuator endpoints.
	 * @return the port
	 */
	public int httpPort() {
		return this.httpPort;
	}

	/**
	 * Returns the base URL, such as {@code http://127.0.0.1:12345}.
	 * @return the URL, without a trailing slash
	 */
	public String baseUrl() {
		return "http://" + FreePorts.HOST + ":" + this.httpPort;
	}

	/**
	 * Returns the Kafka bootstrap servers the instance connects to (its proxy, in a cluster).
	 * @return the bootstrap servers
	 */
	public String bootstrapServers() {
		return this.bootstrapServers;
	}

	/**
	 * Returns the proxied broker listener the instance uses.
	 * @return the listener name, or empty if none was given
	 */
	public Optional<String> listener() {
		return Optional.ofNullable(this.listener);
	}

	/**
	 * Returns the file that receives the output of every run.
	 * @return the log file
	 */
	public Path logFile() {
		return this.logFile;
	}

	/**
	 * Returns the file the instance appends its role changes to ({@code sample.role-log}),
	 * across runs; read it with {@link RoleLogEntry#readAll(Path)}.
	 * @return the role log, or empty if the instance was built without one
	 */
	public Optional<Path> roleLogFile() {
		return Optional.ofNullable(this.roleLogFile);
	}

	/**
	 * Returns the process of the current (or last) run.
	 * @return the process, or empty if never started
	 */
	public Optional<JavaProcess> process() {
		return Optional.ofNullable(this.process);
	}

	/**
	 * Returns how many times the instance was started.
	 * @return the number of runs
	 */
	public int starts() {
		return this.starts;
	}

	/**
	 * Returns whether the process is running (a paused one is running).
	 * @return {@code true} while alive
	 */
	public boolean isAlive() {
		JavaProcess current = this.process;
		return current != null && current.isAlive();
	}

	/**
	 * Returns whether the process is paused with {@code SIGSTOP}.
	 * @return {@code true} while paused
	 */
	public boolean isPaused() {
		JavaProcess current = this.process;
		return current != null && current.isPaused();
	}

	/**
	 * Starts the process and returns at once; see {@link #awaitHealthy(Duration)}.
	 * @throws IllegalStateException if it is already running
	 */
	public synchronized void start() {
		if (isAlive()) {
			throw new IllegalStateException("Instance '" + this.id + "' is already running (" + this.process + ")");
		}
		List<String> args = new ArrayList<>();
		args.add("--server.port=" + this.httpPort);
		args.add("--failover.instance-id=" + this.id);
		args.add("--spring.kafka.bootstrap-servers=" + this.bootstrapServers);
		args.add("--spring.main.banner-mode=off");
		if (this.roleLogFile != null) {
			args.add("--sample.role-log=" + this.roleLogFile.toAbsolutePath());
		}
		args.addAll(this.appArgs);
		this.process = JavaProcess.builder("sample-" + this.id)
			.jar(this.jar)
			.jvmArgs(jvmArgs())
			.args(args)
			.workingDirectory(this.workingDirectory)
			.logFile(this.logFile)
			.start();
		this.starts++;
	}

	/**
	 * Kills the process with {@code SIGKILL}, as a crash, and waits until it is gone. Does
	 * nothing if it is not running.
	 */
	public void kill() {
		JavaProcess current = this.process;
		if (current != null) {
			current.kill();
		}
	}

	/**
	 * Stops the process with {@code SIGTERM} (a graceful shutdown, which hands the primary
	 * role over) and waits; kills it if it takes longer than the timeout.
	 * @param timeout how long the graceful shutdown may take
	 * @return {@code true} if it exited in time (or was not running)
	 */
	public boolean terminate(Duration timeout) {
		JavaProcess current = this.process;
		return current == null || current.terminate(timeout);
	}

	/**
	 * Freezes the process with {@code SIGSTOP}, like a long GC pause.
	 * @throws IllegalStateException if it is not running
	 */
	public void pause() {
		requireProcess("pause").pause();
	}

	/**
	 * Lets a paused process continue with {@code SIGCONT}.
	 * @throws IllegalStateException if it is not running
	 */
	public void resume() {
		requireProcess("resume").resume();
	}

	/**
	 * Restarts the instance with the same id and port: stops it gracefully if it runs (30 s
	 * at most, then killed), then starts it. Returns at once after the start.
	 */
	public synchronized void restart() {
		terminate(Duration.ofSeconds(30));
		start();
	}

	/**
	 * Asks the instance for its status.
	 * @return the status
	 * @throws UncheckedIOException if it does not answer within the request timeout
	 * @throws IllegalStateException if it answers with an error
	 * @throws IllegalArgumentException if the answer is not the endpoint's JSON
	 */
	public InstanceStatus status() {
		return InstanceStatus.parse(this.http.get("/actuator/failover", this.requestTimeout));
	}

	/**
	 * Asks the instance for its status, treating every failure as no answer.
	 * @return the status, or empty if the instance is down, starting, paused or failing
	 */
	public Optional<InstanceStatus> tryStatus() {
		if (!isAlive() || isPaused()) {
			return Optional.empty();
		}
		try {
			return Optional.of(status());
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Waits until the instance answers on its failover endpoint and reads the heartbeat
	 * topic. This is not readiness for traffic: the sample maps secondaries to
	 * {@code REFUSING_TRAFFIC} on purpose.
	 * @param timeout the longest time to wait
	 * @return the first healthy status
	 * @throws IllegalStateException on timeout or if the process exits; the message holds
	 * the end of its log
	 */
	public InstanceStatus awaitHealthy(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			JavaProcess current = requireProcess("wait for");
			if (!current.isAlive()) {
				throw new IllegalStateException("Instance '" + this.id + "' exited with code "
						+ current.exitCode().orElse(-1) + " before it was healthy; last lines of " + this.logFile + ":\n"
						+ current.logTail(40));
			}
			String problem;
			try {
				InstanceStatus status = status();
				if (status.logReachable()) {
					return status;
				}
				problem = "it answers, but cannot read the heartbeat topic";
			}
			catch (RuntimeException ex) {
				// starting (connection refused), paused (timeout), or an answer the harness does not understand
				problem = ex.getMessage();
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Instance '" + this.id + "' was not healthy within " + timeout.toMillis()
						+ " ms (" + problem + "); last lines of " + this.logFile + ":\n" + current.logTail(40));
			}
			Sleeps.sleep(POLL);
		}
	}

	/**
	 * Asks the primary to hand its role to any secondary, and waits for the answer (which
	 * comes once the handover announcement is acknowledged).
	 * @return the answer
	 * @throws IllegalStateException if the instance refuses, for example because it is not
	 * primary; the message holds its answer
	 */
	public StepDownResult stepDown() {
		return stepDown(null);
	}

	/**
	 * Asks the primary to hand its role to a chosen secondary, and waits for the answer.
	 * @param target the preferred successor's id, or {@code null} for any
	 * @return the answer
	 * @throws IllegalStateException if the instance refuses
	 */
	public StepDownResult stepDown(String target) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("action", "step-down");
		if (target != null) {
			body.put("target", target);
		}
		long sent = System.nanoTime();
		HttpResponse<String> response = this.http.post("/actuator/failover", JsonFields.MAPPER.writeValueAsString(body),
				STEP_DOWN_TIMEOUT);
		Duration took = Duration.ofNanos(System.nanoTime() - sent);
		InstanceStatus status = parseWriteAnswer(response, "step-down" + ((target != null) ? " to '" + target + "'" : ""));
		return new StepDownResult(status.outcome(), status, sent, took);
	}

	/**
	 * Turns automatic failover on or off ({@code POST /actuator/failover {"enabled": …}}).
	 * @param enabled whether automatic failover should be enabled
	 * @return the status after the change
	 * @throws IllegalStateException if the instance refuses
	 */
	public InstanceStatus setFailoverEnabled(boolean enabled) {
		HttpResponse<String> response = this.http.post("/actuator/failover", "{\"enabled\":" + enabled + "}",
				this.requestTimeout);
		return parseWriteAnswer(response, "enabled=" + enabled);
	}

	/**
	 * Returns how many ledger records this run of the instance has committed, from the
	 * sample's {@code GET /status}.
	 * @return the count
	 * @throws UncheckedIOException if the instance does not answer
	 */
	public long ledgerWrites() {
		JsonNode status = JsonFields.object(this.http.get("/status", this.requestTimeout), "GET /status");
		return JsonFields.number(status.path("ledger"), "writtenByThisInstance");
	}

	/**
	 * Waits until this run of the instance has committed at least some ledger records.
	 * @param atLeast the number of records
	 * @param timeout the longest time to wait
	 * @return the count seen
	 * @throws IllegalStateException on timeout
	 */
	public long awaitLedgerWrites(long atLeast, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long seen = -1;
		while (true) {
			try {
				seen = ledgerWrites();
				if (seen >= atLeast) {
					return seen;
				}
			}
			catch (RuntimeException ex) {
				// not answering yet: keep waiting
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Instance '" + this.id + "' committed " + Math.max(seen, 0)
						+ " ledger records within " + timeout.toMillis() + " ms, expected at least " + atLeast);
			}
			Sleeps.sleep(POLL);
		}
	}

	/**
	 * Returns the current end of the log, to wait for lines written after this moment.
	 * @return the byte offset
	 */
	public long logPosition() {
		JavaProcess current = this.process;
		return (current != null) ? current.logPosition() : 0;
	}

	/**
	 * Waits for a log line written after a position.
	 * @param position a byte offset from {@link #logPosition()}
	 * @param pattern the pattern, matched with {@link java.util.regex.Matcher#find()}
	 * @param timeout the longest time to wait
	 * @return the line
	 * @throws IllegalStateException on timeout, or if the process exits first
	 */
	public String awaitLogLine(long position, Pattern pattern, Duration timeout) {
		return requireProcess("read the log of").awaitLogLineAfter(position, pattern, timeout);
	}

	/**
	 * Waits for the line in which this instance reports its promotion at an epoch.
	 * @param position a byte offset from {@link #logPosition()} taken before the promotion
	 * @param epoch the epoch
	 * @param timeout the longest time to wait
	 * @return the parsed line
	 * @throws IllegalStateException if no such line is written in time
	 */
	public PromotionLogLine awaitPromotionLine(long position, long epoch, Duration timeout) {
		String line = awaitLogLine(position, PromotionLogLine.of(this.id, epoch), timeout);
		return PromotionLogLine.parse(line)
			.orElseThrow(() -> new IllegalStateException("Unexpected promotion line of '" + this.id + "': " + line));
	}

	/**
	 * Waits for the line in which this instance reports joining its group as a secondary.
	 * @param position a byte offset from {@link #logPosition()} taken before the start
	 * @param timeout the longest time to wait
	 * @return the text after {@code as secondary: }, such as {@code primary 'b' at epoch 2}
	 * @throws IllegalStateException if no such line is written in time
	 */
	public String awaitJoinedAsSecondary(long position, Duration timeout) {
		String line = awaitLogLine(position, JOINED, timeout);
		int colon = line.indexOf("as secondary:");
		return (colon >= 0) ? line.substring(colon + "as secondary:".length()).trim() : line;
	}

	/**
	 * Kills the process if it is still running.
	 */
	@Override
	public void close() {
		kill();
	}

	@Override
	public String toString() {
		JavaProcess current = this.process;
		return "instance '" + this.id + "' (" + baseUrl() + ((current != null) ? ", pid " + current.pid() : "") + ")";
	}

	/**
	 * The JVM options, plus a temporary directory of the instance's own: a killed JVM cannot
	 * delete its temporary files (Tomcat's work directories), so they go where the owner of
	 * the working directory cleans up.
	 */
	private List<String> jvmArgs() {
		List<String> args = new ArrayList<>(this.jvmArgs);
		if (args.stream().noneMatch((arg) -> arg.startsWith("-Djava.io.tmpdir="))) {
			Path tmp = this.workingDirectory.resolve("tmp").resolve(this.id).toAbsolutePath();
			try {
				Files.createDirectories(tmp);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot create the temporary directory " + tmp, ex);
			}
			args.add("-Djava.io.tmpdir=" + tmp);
		}
		return args;
	}

	private InstanceStatus parseWriteAnswer(HttpResponse<String> response, String what) {
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Instance '" + this.id + "' refused " + what + " with HTTP "
					+ response.statusCode() + ": " + JsonFields.abbreviate(response.body()));
		}
		return InstanceStatus.parse(response.body());
	}

	private JavaProcess requireProcess(String action) {
		JavaProcess current = this.process;
		if (current == null) {
			throw new IllegalStateException("Cannot " + action + " instance '" + this.id + "': it was never started");
		}
		return current;
	}

}
