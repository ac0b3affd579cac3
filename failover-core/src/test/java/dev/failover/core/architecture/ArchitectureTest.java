package dev.failover.core.architecture;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

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

	private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

	private static final List<Path> SOURCES = javaSources();

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
	void nothingOutsideTheCoreImportsItsInternals() {
		List<String> offenders = SOURCES.stream()
			.filter((path) -> !path.startsWith(ROOT.resolve("failover-core")))
			.filter(ArchitectureTest::importsCoreInternals)
			.map((path) -> ROOT.relativize(path).toString())
			.toList();
		assertThat(offenders).as("sources outside failover-core that import dev.failover.core.internal").isEmpty();
	}

	@Test
	void everyPackageOfTheBuildSaysWhatItIsAndTheReadmeNamesIt() throws IOException {
		List<Path> packages = SOURCES.stream()
			.filter((path) -> path.toString().contains("/src/main/java/"))
			.filter((path) -> !ROOT.relativize(path).startsWith("compat"))
			.map(Path::getParent)
			.distinct()
			.toList();
		assertThat(packages).hasSizeGreaterThan(15);
		List<String> withoutPackageInfo = packages.stream()
			.filter((dir) -> !Files.isRegularFile(dir.resolve("package-info.java")))
			.map((dir) -> ROOT.relativize(dir).toString())
			.toList();
		assertThat(withoutPackageInfo).as("packages without a package-info.java").isEmpty();
		String modules = readmeSection("## Modules and dependencies");
		List<String> unnamed = packages.stream()
			.map((dir) -> dir.toString().substring(dir.toString().indexOf("/src/main/java/") + 15).replace('/', '.'))
			.filter((name) -> !modules.contains("`" + name + "`"))
			.toList();
		assertThat(unnamed).as("packages the README's \"Modules and dependencies\" does not name").isEmpty();
	}

	/** Returns a section of the README, from its heading to the next heading of its level. */
	private static String readmeSection(String heading) throws IOException {
		String readme = Files.readString(ROOT.resolve("README.md"));
		String section = readme.substring(readme.indexOf(heading));
		return section.substring(0, section.indexOf("\n## ", 1));
	}

	/**
	 * Every Java source of the repository's modules, listed once; the walk does not enter
	 * build output or Git's own directory, where there are none.
	 */
	private static List<Path> javaSources() {
		assertThat(ROOT.resolve("failover-core")).isDirectory();
		List<Path> sources = new ArrayList<>();
		try {
			Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
				@Override
				public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
					String name = dir.getFileName().toString();
					return (name.equals("target") || name.equals(".git")) ? FileVisitResult.SKIP_SUBTREE
							: FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
					if (file.toString().endsWith(".java")) {
						sources.add(file);
					}
					return FileVisitResult.CONTINUE;
				}
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return List.copyOf(sources);
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
