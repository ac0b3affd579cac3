package dev.failover.kafka;

/**
 * Thrown by {@link KafkaTransportOptions.Builder#build()} for an invalid option: names the
 * option (as the builder method that sets it), what is wrong, and how to fix it, so that an
 * adapter can report it under its own name for the setting (the Spring Boot starter names
 * the {@code failover.kafka.*} property).
 */
public class InvalidKafkaOptionException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String option;

	private final String problem;

	private final String fix;

	/**
	 * Creates an exception.
	 * @param option the option, as the builder method that sets it (e.g. {@code partition})
	 * @param problem what is wrong with its value, in a sentence
	 * @param fix how to fix it, in a sentence
	 */
	public InvalidKafkaOptionException(String option, String problem, String fix) {
		super(problem + " " + fix);
		this.option = option;
		this.problem = problem;
		this.fix = fix;
	}

	/**
	 * Returns the invalid option.
	 * @return the option, as the builder method that sets it
	 */
	public String getOption() {
		return this.option;
	}

	/**
	 * Returns what is wrong with its value.
	 * @return a sentence
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * Returns how to fix it.
	 * @return a sentence
	 */
	public String getFix() {
		return this.fix;
	}

}
