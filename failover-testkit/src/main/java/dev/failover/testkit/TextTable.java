package dev.failover.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A plain-text table with left-aligned columns, for console output (cells may carry ANSI
 * colours, which do not count towards the column widths), which also renders as a Markdown
 * table. Used by the demo, the fault suite and the benchmark.
 */
public final class TextTable {

	private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

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
	 * @throws IllegalArgumentException if there is not one cell per column
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
	 * @return the lines, joined with newlines, without a trailing newline
	 */
	public String render() {
		return render("", UnaryOperator.identity());
	}

	/**
	 * Renders the table with aligned columns, each line starting with the indent.
	 * @param indent the indent
	 * @param header how to render the header row (dimmed, or as is)
	 * @return the lines, joined with newlines, without a trailing newline
	 */
	public String render(String indent, UnaryOperator<String> header) {
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
				line.append(" ".repeat(widths[i] - visibleLength(cell) + 2));
			}
		}
		return line.toString().stripTrailing();
	}

	/**
	 * Returns the length of a text as a terminal shows it, without ANSI colour codes.
	 * @param text the text
	 * @return its visible length
	 */
	public static int visibleLength(String text) {
		return ANSI.matcher(text).replaceAll("").length();
	}

}
