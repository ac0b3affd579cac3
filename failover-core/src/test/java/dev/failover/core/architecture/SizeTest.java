package dev.failover.core.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;

import com.github.javaparser.JavaToken;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the core's classes and methods small enough for a new maintainer to read: no
 * class over 400 lines of code and no method or constructor over 60. A line of code is a
 * line with a token that is neither a comment nor white space, so the public API's Javadoc
 * (about 270 of {@code Watcher}'s 633 lines) does not count against its class, and a
 * nested type counts in the class that holds it.
 */
class SizeTest {

	static final int MAX_CLASS_LINES = 400;

	static final int MAX_METHOD_LINES = 60;

	private static final List<Source> SOURCES = new ArrayList<>();

	@BeforeAll
	static void parseTheCoresSources() throws IOException {
		Path main = Path.of("src/main/java").toAbsolutePath();
		assertThat(main.resolve("dev/failover/core/Watcher.java")).isRegularFile();
		StaticJavaParser.getParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
		try (Stream<Path> files = Files.walk(main)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				CompilationUnit unit = StaticJavaParser.parse(file);
				SOURCES.add(new Source(main.relativize(file).toString(), unit, codeLines(unit)));
			}
		}
		assertThat(SOURCES).hasSizeGreaterThan(40);
	}

	@Test
	void noClassOfTheCoreHasMoreThan400LinesOfCode() {
		List<String> offenders = new ArrayList<>();
		for (Source source : SOURCES) {
			for (TypeDeclaration<?> type : source.unit().getTypes()) {
				int lines = source.codeLinesOf(type.getBegin().orElseThrow().line, type.getEnd().orElseThrow().line);
				if (lines > MAX_CLASS_LINES) {
					offenders.add(source.path() + ": " + type.getNameAsString() + " has " + lines + " lines of code");
				}
			}
		}
		assertThat(offenders).isEmpty();
	}

	@Test
	void noMethodOfTheCoreHasMoreThan60LinesOfCode() {
		List<String> offenders = new ArrayList<>();
		for (Source source : SOURCES) {
			for (CallableDeclaration<?> callable : source.unit().findAll(CallableDeclaration.class)) {
				int lines = source.codeLinesOf(callable.getBegin().orElseThrow().line,
						callable.getEnd().orElseThrow().line);
				if (lines > MAX_METHOD_LINES) {
					offenders.add(source.path() + ": " + callable.getDeclarationAsString(false, false, false) + " has "
							+ lines + " lines of code");
				}
			}
		}
		assertThat(offenders).isEmpty();
	}

	@Test
	void javadocAndBlankLinesAreNotCountedAndCodeIs() {
		CompilationUnit unit = StaticJavaParser.parse("""
				/**
				 * A type.
				 */
				class A {

					// a comment
					int a() {
						return 1; // trailing
					}

				}
				""");
		Source source = new Source("A.java", unit, codeLines(unit));
		assertThat(source.codeLinesOf(1, 11)).isEqualTo(5);
		assertThat(source.codeLinesOf(7, 9)).isEqualTo(3);
	}

	private static BitSet codeLines(CompilationUnit unit) {
		BitSet lines = new BitSet();
		for (JavaToken token : unit.getTokenRange().orElseThrow()) {
			if (!token.getCategory().isWhitespaceOrComment()) {
				lines.set(token.getRange().orElseThrow().begin.line);
			}
		}
		return lines;
	}

	private record Source(String path, CompilationUnit unit, BitSet codeLines) {

		int codeLinesOf(int firstLine, int lastLine) {
			return this.codeLines.get(firstLine, lastLine + 1).cardinality();
		}

	}

}
