package dev.tollgate.token.error;

/**
 * Carries a {@link TollgateError} through a reactive chain or out of a parser callback.
 * Stackless: it is an expected outcome of bad input, built per rejected request, and must
 * never be logged with a trace.
 */
public final class TollgateErrorException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient TollgateError error;

	public TollgateErrorException(TollgateError error) {
		super(error.code() + ": " + error.description(), null, false, false);
		this.error = error;
	}

	/** The error to answer. */
	public TollgateError error() {
		return this.error;
	}

}
