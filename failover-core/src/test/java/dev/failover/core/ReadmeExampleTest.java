package dev.failover.core;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's core example compiles and does what it says, and its list of role-change causes is complete.
 */
class ReadmeExampleTest {

	@Test
	void theReadmeListsEveryCauseOfARoleChange() throws Exception {
		String readme = Files.readString(Path.of("..", "README.md"));
		int start = readme.indexOf("`getCause()` (an enum:");
		assertThat(start).as("README names the causes of RoleChangedEvent.getCause()").isPositive();
		String list = readme.substring(start, readme.indexOf(')', readme.indexOf("`FAILOVER_ENABLED`", start)));
		for (RoleChange.Cause cause : RoleChange.Cause.values()) {
			assertThat(list).as("README's list of causes").contains("`" + cause.name() + "`");
		}
	}

	@Test
	void theCoreExampleCompilesAndBecomesPrimary(@TempDir Path dir) throws Exception {
		String readme = Files.readString(Path.of("..", "README.md"));
		Matcher block = Pattern.compile("<!-- core-example:start -->\\s*```java\\n(.*?)```\\s*<!-- core-example:end -->",
				Pattern.DOTALL)
			.matcher(readme);
		assertThat(block.find()).as("README has the core example block").isTrue();
		Path source = dir.resolve("CoreExample.java");
		Files.writeString(source, block.group(1));

		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		ByteArrayOutputStream errors = new ByteArrayOutputStream();
		int status = compiler.run(null, null, errors, "-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
				source.toString());
		assertThat(status).as(errors.toString(StandardCharsets.UTF_8)).isZero();

		PrintStream original = System.out;
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		try (URLClassLoader loader = new URLClassLoader(new URL[] { dir.toUri().toURL() }, getClass().getClassLoader())) {
			System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
			Method main = loader.loadClass("CoreExample").getMethod("main", String[].class);
			main.invoke(null, (Object) new String[0]);
		}
		finally {
			System.setOut(original);
		}
		List<String> lines = output.toString(StandardCharsets.UTF_8).lines().toList();
		assertThat(lines).contains("taking over at epoch 1");
		assertThat(lines).anyMatch((line) -> line.startsWith("group=orders instance=orders-1 role=primary epoch=1"));
	}

}
