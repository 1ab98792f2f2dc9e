package dev.tollgate.token.error;

import org.springframework.http.HttpStatus;

/**
 * Where a DPoP proof is checked, which decides the status of a refusal: 400 at the token
 * endpoint (RFC 9449 §5, an OAuth error response) and 401 with a {@code DPoP} challenge
 * at a protected resource (RFC 9449 §7.1).
 * <p>
 * It lives in {@code error}, below {@code dpop}, because the error factories in
 * {@link TollgateErrors} take it and {@code error} may not depend on the packages above
 * it.
 */
public enum ProofUse {

	/** Login and refresh: errors are 400. */
	TOKEN_ENDPOINT(HttpStatus.BAD_REQUEST),

	/** Every request to a protected resource: errors are 401. */
	RESOURCE(HttpStatus.UNAUTHORIZED);

	private final HttpStatus status;

	ProofUse(HttpStatus status) {
		this.status = status;
	}

	/** The status of an error about a proof checked here. */
	public HttpStatus status() {
		return this.status;
	}

}
