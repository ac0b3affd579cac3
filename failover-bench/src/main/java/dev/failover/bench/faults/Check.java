package dev.failover.bench.faults;

/**
 * One verified property of a scenario run.
 *
 * @param name what was checked, such as {@code one primary at a time}
 * @param passed whether it held
 * @param detail what was seen, or why it failed
 */
record Check(String name, boolean passed, String detail) {

	static Check of(String name, boolean passed, String detail) {
		return new Check(name, passed, detail);
	}

}
