package dev.tollgate.routes.session;

import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrors;

/**
 * The refresh-token store could not be reached or did not answer in time. Nothing was
 * changed that the caller could observe as a use of the token; the endpoints answer 503
 * {@code temporarily_unavailable}.
 */
public final class StoreUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public StoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * What the client is answered: 503 {@code temporarily_unavailable}, without the
	 * cause.
	 */
	public TollgateError error() {
		return TollgateErrors.temporarilyUnavailable("session store unavailable, try again later");
	}

}
