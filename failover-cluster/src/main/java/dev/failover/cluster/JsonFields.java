package dev.failover.cluster;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strict readers of JSON fields: a missing field or one of the wrong type is an error that
 * names the field, not a silent default, because the harness must notice when the endpoint
 * it observes changes shape.
 */
final class JsonFields {

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private JsonFields() {
	}

	/**
	 * Parses a JSON object.
	 * @param json the text
	 * @param what what the text is, for the error message
	 * @return the object node
	 * @throws IllegalArgumentException if the text is not a JSON object
	 */
	static JsonNode object(String json, String what) {
		JsonNode node;
		try {
			node = MAPPER.readTree(json);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(what + " is not JSON: " + abbreviate(json), ex);
		}
		if (node == null || !node.isObject()) {
			throw new IllegalArgumentException(what + " is not a JSON object: " + abbreviate(json));
		}
		return node;
	}

	static String text(JsonNode node, String field) {
		String value = optionalText(node, field);
		if (value == null) {
			throw new IllegalArgumentException("field '" + field + "' must be a string, was " + node.get(field));
		}
		return value;
	}

	static String optionalText(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw new IllegalArgumentException("field '" + field + "' must be a string, was " + value);
		}
		return value.stringValue();
	}

	static long number(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isIntegralNumber()) {
			throw new IllegalArgumentException("field '" + field + "' must be an integer, was " + value);
		}
		return value.asLong();
	}

	static boolean bool(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isBoolean()) {
			throw new IllegalArgumentException("field '" + field + "' must be true or false, was " + value);
		}
		return value.asBoolean();
	}

	static Instant optionalInstant(JsonNode node, String field) {
		String value = optionalText(node, field);
		if (value == null || value.equals("null")) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("field '" + field + "' must be an ISO-8601 instant, was " + value, ex);
		}
	}

	static String abbreviate(String text) {
		if (text == null) {
			return "null";
		}
		return (text.length() <= 200) ? text : text.substring(0, 200) + "…";
	}

}
