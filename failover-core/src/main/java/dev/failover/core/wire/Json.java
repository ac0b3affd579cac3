package dev.failover.core.wire;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small, strict JSON reader and writer for protocol records.
 * <p>
 * The core depends on the JDK only, and records are flat objects of strings, numbers and
 * booleans, so this class reads a complete JSON document (RFC 8259) but keeps only the
 * top-level members of an object: nested objects and arrays are parsed (so a newer writer
 * may add them) and skipped. Nesting is bounded, so hostile input cannot overflow the stack.
 */
final class Json {

	/** Marks a member whose value was an object or an array (skipped). */
	static final Object NESTED = new Object();

	private static final int MAX_DEPTH = 32;

	private final String text;

	private int pos;

	private Json(String text) {
		this.text = text;
	}

	/**
	 * Parses a JSON object and returns its top-level members: {@link String},
	 * {@link BigDecimal}, {@link Boolean}, {@code null} or {@link #NESTED}.
	 * @param text the document
	 * @return the members in document order (a repeated name keeps its last value)
	 * @throws IllegalArgumentException if the text is not one JSON object
	 */
	static Map<String, Object> parseObject(String text) {
		Json json = new Json(text);
		json.skipWhitespace();
		if (json.peek() != '{') {
			throw json.error("expected a JSON object");
		}
		Map<String, Object> members = json.readObject(0);
		json.skipWhitespace();
		if (json.pos != text.length()) {
			throw json.error("unexpected content after the object");
		}
		return members;
	}

	private Map<String, Object> readObject(int depth) {
		expect('{');
		Map<String, Object> members = new LinkedHashMap<>();
		skipWhitespace();
		if (peek() == '}') {
			this.pos++;
			return members;
		}
		while (true) {
			skipWhitespace();
			String name = readString();
			skipWhitespace();
			expect(':');
			Object value = readValue(depth + 1);
			members.put(name, value);
			skipWhitespace();
			char c = next();
			if (c == '}') {
				return members;
			}
			if (c != ',') {
				throw error("expected ',' or '}'");
			}
		}
	}

	private void skipArray(int depth) {
		expect('[');
		skipWhitespace();
		if (peek() == ']') {
			this.pos++;
			return;
		}
		while (true) {
			readValue(depth + 1);
			skipWhitespace();
			char c = next();
			if (c == ']') {
				return;
			}
			if (c != ',') {
				throw error("expected ',' or ']'");
			}
		}
	}

	private Object readValue(int depth) {
		if (depth > MAX_DEPTH) {
			throw error("nesting deeper than " + MAX_DEPTH);
		}
		skipWhitespace();
		char c = peek();
		switch (c) {
			case '{' -> {
				readObject(depth);
				return NESTED;
			}
			case '[' -> {
				skipArray(depth);
				return NESTED;
			}
			case '"' -> {
				return readString();
			}
			case 't' -> {
				readLiteral("true");
				return Boolean.TRUE;
			}
			case 'f' -> {
				readLiteral("false");
				return Boolean.FALSE;
			}
			case 'n' -> {
				readLiteral("null");
				return null;
			}
			default -> {
				if (c == '-' || (c >= '0' && c <= '9')) {
					return readNumber();
				}
				throw error("unexpected character");
			}
		}
	}

	private String readString() {
		expect('"');
		StringBuilder out = null;
		int start = this.pos;
		while (true) {
			if (this.pos >= this.text.length()) {
				throw error("unterminated string");
			}
			char c = this.text.charAt(this.pos++);
			if (c == '"') {
				return (out == null) ? this.text.substring(start, this.pos - 1) : out.toString();
			}
			if (c < 0x20) {
				throw error("control character in string");
			}
			if (c == '\\') {
				if (out == null) {
					out = new StringBuilder(this.text.substring(start, this.pos - 1));
				}
				out.append(readEscape());
			}
			else if (out != null) {
				out.append(c);
			}
		}
	}

	private char readEscape() {
		char c = next();
		return switch (c) {
			case '"' -> '"';
			case '\\' -> '\\';
			case '/' -> '/';
			case 'b' -> '\b';
			case 'f' -> '\f';
			case 'n' -> '\n';
			case 'r' -> '\r';
			case 't' -> '\t';
			case 'u' -> {
				if (this.pos + 4 > this.text.length()) {
					throw error("truncated unicode escape");
				}
				int value = 0;
				for (int i = 0; i < 4; i++) {
					int digit = Character.digit(this.text.charAt(this.pos++), 16);
					if (digit < 0) {
						throw error("bad unicode escape");
					}
					value = value * 16 + digit;
				}
				yield (char) value;
			}
			default -> throw error("bad escape");
		};
	}

	private BigDecimal readNumber() {
		int start = this.pos;
		if (peek() == '-') {
			this.pos++;
		}
		if (peek() == '0') {
			this.pos++;
		}
		else {
			requireDigits();
		}
		if (peek() == '.') {
			this.pos++;
			requireDigits();
		}
		if (peek() == 'e' || peek() == 'E') {
			this.pos++;
			if (peek() == '+' || peek() == '-') {
				this.pos++;
			}
			requireDigits();
		}
		String number = this.text.substring(start, this.pos);
		if (number.length() > 64) {
			throw error("number too long");
		}
		try {
			BigDecimal value = new BigDecimal(number);
			if (Math.abs(value.scale()) > 1000) {
				throw error("number out of range");
			}
			return value;
		}
		catch (NumberFormatException ex) {
			throw error("bad number");
		}
	}

	private void requireDigits() {
		int start = this.pos;
		while (this.pos < this.text.length() && Character.isDigit(this.text.charAt(this.pos))
				&& this.text.charAt(this.pos) < 128) {
			this.pos++;
		}
		if (this.pos == start) {
			throw error("expected a digit");
		}
	}

	private void readLiteral(String literal) {
		if (!this.text.startsWith(literal, this.pos)) {
			throw error("bad literal");
		}
		this.pos += literal.length();
	}

	private void skipWhitespace() {
		while (this.pos < this.text.length()) {
			char c = this.text.charAt(this.pos);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return;
			}
			this.pos++;
		}
	}

	private char peek() {
		return (this.pos < this.text.length()) ? this.text.charAt(this.pos) : '\0';
	}

	private char next() {
		if (this.pos >= this.text.length()) {
			throw error("unexpected end of input");
		}
		return this.text.charAt(this.pos++);
	}

	private void expect(char c) {
		if (next() != c) {
			this.pos--;
			throw error("expected '" + c + "'");
		}
	}

	private IllegalArgumentException error(String message) {
		return new IllegalArgumentException(message + " at position " + this.pos);
	}

	/**
	 * Appends a JSON string literal.
	 * @param out the buffer
	 * @param value the string
	 */
	static void writeString(StringBuilder out, String value) {
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20 || c == 0x2028 || c == 0x2029) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
