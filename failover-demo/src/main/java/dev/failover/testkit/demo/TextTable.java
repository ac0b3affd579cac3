package dev.failover.testkit.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A plain-text table with left-aligned columns; cells may carry ANSI colours, which do not
 * count towards the column widths.
 */
final class TextTable {

	private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

	private final List<String> headers;

	private final List<List<String>> rows = new ArrayList<>();

	TextTable(String... headers) {
		this.headers = List.of(headers);
	}

	TextTable row(String... cells) {
		if (cells.length != this.headers.size()) {
			throw new IllegalArgumentException("cells must have " + this.headers.size() + " entries, had "
					+ Arrays.toString(cells));
		}
		this.rows.add(List.of(cells));
		return this;
	}

	/**
	 * Renders the table, each line starting with the indent.
	 * @param indent the indent
	 * @param header how to render the header row (bold, or as is)
	 * @return the lines, joined with newlines, without a trailing newline
	 */
	String render(String indent, java.util.function.UnaryOperator<String> header) {
		int[] widths = new int[this.headers.size()];
		for (int i = 0; i < widths.length; i++) {
			widths[i] = visibleLength(this.headers.get(i));
			for (List<String> row : this.rows) {
				widths[i] = Math.max(widths[i], visibleLength(row.get(i)));
			}
		}
		StringBuilder out = new StringBuilder();
		out.append(indent).append(header.apply(line(this.headers, widths)));
		for (List<String> row : this.rows) {
			out.append('\n').append(indent).append(line(row, widths));
		}
		return out.toString();
	}

	private static String line(List<String> cells, int[] widths) {
		StringBuilder line = new StringBuilder();
		for (int i = 0; i < cells.size(); i++) {
			String cell = cells.get(i);
			line.append(cell);
			if (i < cells.size() - 1) {
				line.append(" ".repeat(widths[i] - visibleLength(cell) + 2));
			}
		}
		return line.toString();
	}

	static int visibleLength(String text) {
		return ANSI.matcher(text).replaceAll("").length();
	}

}
