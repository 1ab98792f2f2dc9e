package dev.tollgate.routes.store;

/**
 * The refresh-token store could not be reached or did not answer in time. Nothing was changed that the
 * caller could observe as a use of the token; the endpoints answer 503 {@code temporarily_unavailable}.
 */
public final class StoreUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public StoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
