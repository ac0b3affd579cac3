package dev.failover.demo;

import java.io.PrintStream;

import dev.failover.testkit.TextTable;

/**
 * The demo's output: step headings, indented detail lines and tables, with ANSI colours
 * only when standard output is a terminal.
 */
final class Console {

	private static final String INDENT = "      ";

	private final PrintStream out;

	private final boolean ansi;

	Console(PrintStream out, boolean ansi) {
		this.out = out;
		this.ansi = ansi;
	}

	/**
	 * Decides whether to colour: the launcher script says whether standard output is a
	 * terminal ({@code -Dfailover.demo.color}); without it, a console must be attached.
	 * {@code NO_COLOR} always wins.
	 * @return whether to use ANSI colours
	 */
	static boolean colorWanted() {
		if (System.getenv("NO_COLOR") != null && !System.getenv("NO_COLOR").isEmpty()) {
			return false;
		}
		String told = System.getProperty("failover.demo.color");
		if (told != null) {
			return Boolean.parseBoolean(told);
		}
		return System.console() != null && !"dumb".equals(System.getenv("TERM"));
	}

	void title(String text) {
		this.out.println(bold(text));
	}

	void step(int number, int total, String heading) {
		this.out.println();
		this.out.println(bold("[" + number + "/" + total + "] " + heading));
	}

	void line(String text) {
		this.out.println(INDENT + text);
	}

	void blank() {
		this.out.println();
	}

	void table(TextTable table) {
		this.out.println(table.render(INDENT, this::dim));
	}

	void plain(String text) {
		this.out.println(text);
	}

	String bold(String text) {
		return paint("1", text);
	}

	String green(String text) {
		return paint("32", text);
	}

	String red(String text) {
		return paint("31", text);
	}

	String yellow(String text) {
		return paint("33", text);
	}

	String dim(String text) {
		return paint("2", text);
	}

	private String paint(String code, String text) {
		return this.ansi ? "\u001B[" + code + "m" + text + "\u001B[0m" : text;
	}

}
