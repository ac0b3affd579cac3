package dev.failover.core;

/**
 * Thrown when a failover setting is invalid. It names the setting (in the kebab-case form
 * used by the {@code failover.*} properties), says what is wrong and how to fix it.
 */
public class FailoverConfigException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String description;

	private final String action;

	/**
	 * Creates an exception for one invalid setting.
	 * @param property the setting, e.g. {@code heartbeat-timeout}
	 * @param description what is wrong, naming the values involved
	 * @param action how to fix it
	 */
	public FailoverConfigException(String property, String description, String action) {
		super("Invalid failover setting '" + property + "': " + description + " " + action);
		this.property = property;
		this.description = description;
		this.action = action;
	}

	/**
	 * Returns the invalid setting, in kebab-case without prefix (e.g. {@code heartbeat-timeout}).
	 * @return the setting name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Returns what is wrong with the setting.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * Returns how to fix the setting.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
