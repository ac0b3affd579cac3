package dev.failover.core;

import java.util.Locale;

/**
 * The role of an instance in its failover group.
 * <p>
 * Written in lower case ({@code primary}, {@code secondary}) in text, records, JSON and
 * configuration; {@link #toString()} returns that form.
 */
public enum Role {

	/** The one instance of the group that does the primary-only work. */
	PRIMARY,

	/** Any other instance: it watches the primary and stands by to take over. */
	SECONDARY;

	/**
	 * Returns the role's lower-case name, as written in records and configuration.
	 * @return {@code primary} or {@code secondary}
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return label();
	}

	/**
	 * Parses a role name, ignoring case and surrounding blanks.
	 * @param text {@code primary} or {@code secondary}
	 * @return the role
	 * @throws IllegalArgumentException if the text names no role
	 */
	public static Role of(String text) {
		if (text != null) {
			String trimmed = text.trim();
			for (Role role : values()) {
				if (role.name().equalsIgnoreCase(trimmed)) {
					return role;
				}
			}
		}
		throw new IllegalArgumentException("'" + text + "' is not a role: use 'primary' or 'secondary'");
	}

}
