package dev.failover.docs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's property table says what the generated configuration metadata says: every
 * {@code failover.*} property, its default and its description.
 */
class ReadmePropertiesTest {

	private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (.*?) \\| (.*) \\|$", Pattern.MULTILINE);

	@Test
	void thePropertyTableMatchesTheMetadata() throws IOException {
		Map<String, JsonNode> metadata = metadata();
		Map<String, String[]> table = table();
		assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(metadata.keySet());
		for (Map.Entry<String, JsonNode> property : metadata.entrySet()) {
			String[] row = table.get(property.getKey());
			JsonNode defaultValue = property.getValue().get("defaultValue");
			if (defaultValue != null && !defaultValue.isNull()) {
				assertThat(row[0]).as("default of %s", property.getKey())
					.isEqualToIgnoringCase("`" + defaultValue.asString() + "`");
			}
			assertThat(row[1]).as("description of %s", property.getKey())
				.isEqualTo(property.getValue().get("description").asString());
		}
	}

	private static Map<String, JsonNode> metadata() throws IOException {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		try (InputStream in = ReadmePropertiesTest.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated configuration metadata").isNotNull();
			for (JsonNode property : JsonMapper.builder().build().readTree(in).get("properties")) {
				String name = property.get("name").asString();
				if (name.startsWith("failover.")) {
					properties.put(name, property);
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
