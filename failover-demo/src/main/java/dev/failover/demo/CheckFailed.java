package dev.failover.demo;

/**
 * A check of the demo that did not hold: the message says what was expected and what
 * happened.
 */
final class CheckFailed extends RuntimeException {

	private static final long serialVersionUID = 1L;

	CheckFailed(String message) {
		super(message);
	}

	CheckFailed(String message, Throwable cause) {
		super(message, cause);
	}

}
