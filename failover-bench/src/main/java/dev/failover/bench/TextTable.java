package dev.failover.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table with left-aligned columns, for console summaries, which also renders
 * as a Markdown table.
 */
public final class TextTable {

	private final List<String> headers;

	private final List<List<String>> rows = new ArrayList<>();

	/**
	 * Creates a table.
	 * @param headers the column headers
	 */
	public TextTable(String... headers) {
		this.headers = List.of(headers);
	}

	/**
	 * Adds a row.
	 * @param cells one cell per column
	 * @return this table
	 */
	public TextTable row(String... cells) {
		if (cells.length != this.headers.size()) {
			throw new IllegalArgumentException("cells must have " + this.headers.size() + " entries, had "
					+ Arrays.toString(cells));
		}
		this.rows.add(List.of(cells));
		return this;
	}

	/**
	 * Renders the table with aligned columns.
	 * @return the lines, joined with newlines
	 */
	public String render() {
		int[] widths = new int[this.headers.size()];
		for (int i = 0; i < widths.length; i++) {
			widths[i] = this.headers.get(i).length();
			for (List<String> row : this.rows) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		StringBuilder out = new StringBuilder(line(this.headers, widths));
		for (List<String> row : this.rows) {
			out.append('\n').append(line(row, widths));
		}
		return out.toString();
	}

	/**
	 * Renders the table in Markdown.
	 * @return the lines, joined with newlines
	 */
	public String markdown() {
		StringBuilder out = new StringBuilder("| " + String.join(" | ", this.headers) + " |\n|");
		this.headers.forEach((header) -> out.append("---|"));
		for (List<String> row : this.rows) {
			out.append("\n| ").append(String.join(" | ", row.stream().map((cell) -> cell.replace("|", "\\|")).toList()))
				.append(" |");
		}
		return out.toString();
	}

	private static String line(List<String> cells, int[] widths) {
		StringBuilder line = new StringBuilder();
		for (int i = 0; i < cells.size(); i++) {
			String cell = cells.get(i);
			line.append(cell);
			if (i < cells.size() - 1) {
				line.append(" ".repeat(widths[i] - cell.length() + 2));
			}
		}
		return line.toString().stripTrailing();
	}

}
