package dev.failover.docs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's property table says what the generated configuration metadata says: every
 * {@code failover.*} property, its default and its description.
 */
class ReadmePropertiesTest {

	private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (.*?) \\| (.*) \\|$", Pattern.MULTILINE);

	@Test
	void thePropertyTableMatchesTheMetadata() throws IOException {
		Map<String, Map<?, ?>> metadata = metadata();
		Map<String, String[]> table = table();
		assertThat(metadata).as("failover.* properties in the generated configuration metadata").isNotEmpty();
		assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(metadata.keySet());
		for (Map.Entry<String, Map<?, ?>> property : metadata.entrySet()) {
			String[] row = table.get(property.getKey());
			Object defaultValue = property.getValue().get("defaultValue");
			if (defaultValue != null) {
				assertThat(row[0]).as("default of %s", property.getKey()).isEqualToIgnoringCase("`" + defaultValue + "`");
			}
			assertThat(row[1]).as("description of %s", property.getKey())
				.isEqualTo(property.getValue().get("description"));
		}
	}

	/** The failover.* properties of every metadata file on the class path (Boot's jars have theirs too). */
	private static Map<String, Map<?, ?>> metadata() throws IOException {
		Map<String, Map<?, ?>> properties = new LinkedHashMap<>();
		List<URL> files = Collections.list(ReadmePropertiesTest.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"));
		for (URL file : files) {
			try (InputStream in = file.openStream()) {
				Map<String, Object> json = JsonParserFactory.getJsonParser()
					.parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
				for (Object element : (List<?>) json.getOrDefault("properties", List.of())) {
					Map<?, ?> property = (Map<?, ?>) element;
					String name = (String) property.get("name");
					if (name.startsWith("failover.")) {
						properties.put(name, property);
					}
				}
			}
		}
		return properties;
	}

	private static Map<String, String[]> table() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		int start = readme.indexOf("<!-- properties:start -->");
		int end = readme.indexOf("<!-- properties:end -->");
		assertThat(start).as("README property table markers").isPositive().isLessThan(end);
		Map<String, String[]> rows = new LinkedHashMap<>();
		Matcher row = ROW.matcher(readme.substring(start, end));
		while (row.find()) {
			rows.put(row.group(1), new String[] { row.group(2), row.group(3) });
		}
		return rows;
	}

}
