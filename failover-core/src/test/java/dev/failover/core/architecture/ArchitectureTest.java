package dev.failover.core.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The boundaries of the core that its design rests on: the election is a pure state
 * machine, the API does not leak into the SPI the wrong way, and nothing outside the core
 * imports its internals.
 */
class ArchitectureTest {

	private static final JavaClasses CORE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.failover.core");

	@Test
	void theElectionReadsNoClockStartsNoThreadWritesNoLogAndKnowsNoTransport() {
		ArchRule pure = noClasses().that()
			.resideInAPackage("dev.failover.core.internal.election..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("java.util.concurrent..", "org.slf4j..", "java.util.logging..", "java.net..",
					"java.nio..", "java.io..", "dev.failover.core.spi..", "dev.failover.core.testing..")
			.orShould()
			.dependOnClassesThat()
			.haveFullyQualifiedName(Thread.class.getName())
			.orShould()
			.dependOnClassesThat()
			.haveFullyQualifiedName(java.time.Clock.class.getName())
			.orShould()
			.callMethod(System.class, "nanoTime")
			.orShould()
			.callMethod(System.class, "currentTimeMillis")
			.orShould()
			.callMethod(java.time.Instant.class, "now");
		pure.check(CORE);
	}

	@Test
	void theElectionUsesOnlyTheApiTheWireFormatAndItsOwnPackage() {
		classes().that()
			.resideInAPackage("dev.failover.core.internal.election..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java.lang..", "java.util", "java.util.function", "java.util.random", "java.time",
					"dev.failover.core", "dev.failover.core.wire", "dev.failover.core.internal",
					"dev.failover.core.internal.election")
			.check(CORE);
	}

	@Test
	void theApiAndTheSpiDoNotDependOnTheTestSupport() {
		noClasses().that()
			.resideInAnyPackage("dev.failover.core", "dev.failover.core.spi", "dev.failover.core.wire",
					"dev.failover.core.internal..")
			.and()
			.doNotHaveSimpleName("HandoverRehearsal")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.failover.core.testing..")
			.check(CORE);
	}

	@Test
	void nothingOutsideTheCoreImportsItsInternals() throws IOException {
		Path root = Path.of("").toAbsolutePath().getParent();
		assertThat(root.resolve("failover-core")).isDirectory();
		List<String> offenders;
		try (Stream<Path> files = Files.walk(root)) {
			offenders = files.filter((path) -> path.toString().endsWith(".java"))
				.filter((path) -> !path.startsWith(root.resolve("failover-core")))
				.filter((path) -> !path.toString().contains("/target/"))
				.filter(ArchitectureTest::importsCoreInternals)
				.map((path) -> root.relativize(path).toString())
				.toList();
		}
		assertThat(offenders).as("sources outside failover-core that import dev.failover.core.internal").isEmpty();
	}

	@Test
	void everyPackageOfTheBuildSaysWhatItIsAndTheReadmeNamesIt() throws IOException {
		Path root = Path.of("").toAbsolutePath().getParent();
		String readme = Files.readString(root.resolve("README.md"));
		String modules = readme.substring(readme.indexOf("## Modules and dependencies"));
		modules = modules.substring(0, modules.indexOf("\n## ", 1));
		List<Path> packages;
		try (Stream<Path> files = Files.walk(root)) {
			packages = files.filter((path) -> path.toString().endsWith(".java"))
				.filter((path) -> path.toString().contains("/src/main/java/"))
				.filter((path) -> !path.toString().contains("/target/"))
				.filter((path) -> !root.relativize(path).startsWith("compat"))
				.map(Path::getParent)
				.distinct()
				.toList();
		}
		assertThat(packages).hasSizeGreaterThan(15);
		List<String> withoutPackageInfo = packages.stream()
			.filter((dir) -> !Files.isRegularFile(dir.resolve("package-info.java")))
			.map((dir) -> root.relativize(dir).toString())
			.toList();
		assertThat(withoutPackageInfo).as("packages without a package-info.java").isEmpty();
		String section = modules;
		List<String> unnamed = packages.stream()
			.map((dir) -> dir.toString().substring(dir.toString().indexOf("/src/main/java/") + 15).replace('/', '.'))
			.filter((name) -> !section.contains("`" + name + "`"))
			.toList();
		assertThat(unnamed).as("packages the README's \"Modules and dependencies\" does not name").isEmpty();
	}

	private static boolean importsCoreInternals(Path file) {
		try {
			return Files.readString(file).contains("import dev.failover.core.internal");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
