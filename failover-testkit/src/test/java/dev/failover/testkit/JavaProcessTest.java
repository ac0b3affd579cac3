package dev.failover.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JavaProcessTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private final List<JavaProcess> started = new ArrayList<>();

	@TempDir
	Path dir;

	@AfterEach
	void killAll() {
		this.started.forEach(JavaProcess::close);
	}

	@Test
	void startsAChildWithArgsAndEnvironmentAndFindsItsLogLines() {
		JavaProcess child = start("tick");

		assertThat(child.awaitLogLine("ready", DEADLINE)).isEqualTo("ready, greeting hello");
		assertThat(child.awaitLogLine(Pattern.compile("tick [1-9]"), DEADLINE)).startsWith("tick ");
		assertThat(child.pid()).isPositive();
		assertThat(child.isAlive()).isTrue();
		assertThat(child.exitCode()).isEmpty();
		assertThat(child.logFile()).isEqualTo(this.dir.resolve("child.log"));
	}

	@Test
	void waitsOnlyForLinesWrittenAfterAPosition() {
		JavaProcess child = start("tick");
		String first = child.awaitLogLine("tick", DEADLINE);
		long position = child.logPosition();

		String later = child.awaitLogLineAfter(position, Pattern.compile("^tick \\d+$"), DEADLINE);

		assertThat(tickNumber(later)).isGreaterThan(tickNumber(first));
	}

	@Test
	void failsFastWithTheLogTailWhenTheChildExitsBeforeTheLine() {
		JavaProcess child = start("exit", "3");

		assertThatThrownBy(() -> child.awaitLogLine("never printed", DEADLINE)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("exited with code 3")
			.hasMessageContaining("exiting");
		assertThat(child.exitCode()).hasValue(3);
	}

	@Test
	void timesOutWithTheLogTail() {
		JavaProcess child = start("tick");

		assertThatThrownBy(() -> child.awaitLogLine("never printed", Duration.ofMillis(500)))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("within 500 ms")
			.hasMessageContaining("tick");
	}

	@Test
	void terminateStopsTheChildGracefully() {
		JavaProcess child = start("tick");
		child.awaitLogLine("ready", DEADLINE);

		assertThat(child.terminate(DEADLINE)).isTrue();

		assertThat(child.isAlive()).isFalse();
		assertThat(child.exitCode()).hasValue(143);
	}

	@Test
	void killLeavesNoProcess() {
		JavaProcess child = start("tick");
		child.awaitLogLine("ready", DEADLINE);
		long pid = child.pid();

		child.kill();

		assertThat(child.exitCode()).hasValue(137);
		assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void pauseStopsTheChildAndResumeLetsItGoOn() {
		JavaProcess child = start("tick");
		child.awaitLogLine("ready", DEADLINE);

		child.pause();

		assertThat(child.isPaused()).isTrue();
		Await.until("the child is stopped", () -> "T".equals(linuxState(child.pid())), DEADLINE);
		long position = child.logPosition();

		child.resume();

		assertThat(child.isPaused()).isFalse();
		assertThat(child.awaitLogLineAfter(position, Pattern.compile("^tick"), DEADLINE)).startsWith("tick");
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void terminateWorksOnAPausedChild() {
		JavaProcess child = start("tick");
		child.awaitLogLine("ready", DEADLINE);
		child.pause();

		assertThat(child.terminate(DEADLINE)).isTrue();

		assertThat(child.exitCode()).hasValue(143);
	}

	@Test
	void aChildWhoseParentIsKilledHaltsByItself() throws IOException {
		JavaProcess child = start("spawn", this.dir.resolve("grandchild.log").toString());
		Matcher matcher = Pattern.compile("grandchild (\\d+)").matcher(child.awaitLogLine("grandchild", DEADLINE));
		assertThat(matcher.find()).isTrue();
		long grandchildPid = Long.parseLong(matcher.group(1));
		assertThat(ProcessHandle.of(grandchildPid)).isPresent();

		// SIGKILL runs no shutdown hook in the child: only the grandchild's orphan guard can end it
		ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroyForcibly);

		Await.until("the orphaned grandchild is gone",
				() -> ProcessHandle.of(grandchildPid).map(ProcessHandle::isAlive).orElse(false) == false, DEADLINE);
		assertThat(Files.readString(this.dir.resolve("grandchild.log"))).contains("[failover-orphan-guard] parent process");
	}

	@Test
	void rejectsAnIncompleteOrBadBuilderNamingTheArgument() {
		assertThatThrownBy(() -> JavaProcess.builder(" ")).hasMessageContaining("name");
		assertThatThrownBy(() -> JavaProcess.builder("x").start()).hasMessageContaining("mainClass");
		assertThatThrownBy(() -> JavaProcess.builder("x").mainClass("Main", "")).hasMessageContaining("classpath");
		assertThatThrownBy(() -> JavaProcess.builder("x").exitGrace(Duration.ofSeconds(-1)))
			.hasMessageContaining("exitGrace");
	}

	private JavaProcess start(String... args) {
		JavaProcess child = JavaProcess.builder("child")
			.mainClass(ChildMain.class.getName(), System.getProperty("java.class.path"))
			.jvmArgs("-Xmx64m")
			.args(args)
			.env("CHILD_GREETING", "hello")
			.logFile(this.dir.resolve("child.log"))
			.start();
		this.started.add(child);
		return child;
	}

	private static long tickNumber(String line) {
		return Long.parseLong(line.substring("tick ".length()).trim());
	}

	private static String linuxState(long pid) {
		try {
			// /proc/<pid>/stat: "pid (comm) state ..."; comm may contain spaces, so read after the last ')'
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
