package dev.tollgate.backend.assertion;

/**
 * Why an assertion was refused, as a fixed description chosen here: never text from the
 * request, the assertion or the JWK Set, so that it can go into a 401 answer and a log
 * line as it is. Carries no stack trace: it is an answer, not a fault.
 */
public final class InvalidAssertionException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public InvalidAssertionException(String description) {
		super(description, null, false, false);
	}

	/** The fixed description, e.g. {@code assertion expired}. */
	public String description() {
		return getMessage();
	}

}
