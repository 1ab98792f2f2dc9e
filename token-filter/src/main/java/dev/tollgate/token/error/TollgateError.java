package dev.tollgate.token.error;

import dev.tollgate.token.observe.TokenRejection;

import org.springframework.http.HttpStatus;

/**
 * An error answered to a client, as a value: the code of the contract's {@code error}
 * member, the HTTP status, a fixed human-readable description (never an exception
 * message, a token or upstream text) and whether the answer carries a Bearer challenge
 * (RFC 6750 §3). Build them with {@link TollgateErrors}.
 *
 * @param code the error code, e.g. {@code invalid_token}
 * @param status the HTTP status
 * @param description a short fixed description, safe for {@code WWW-Authenticate}
 * (printable ASCII, no quotes)
 * @param challenge whether to answer with {@code WWW-Authenticate: Bearer ...}
 * @param challengeCode whether the challenge names the error code; false for a request
 * without any token (RFC 6750 §3.1)
 * @param rejection why an access token was refused, for the access check's metrics;
 * {@code null} for other errors
 * @param retryAfterSeconds when above 0, the {@code Retry-After} the answer carries (RFC
 * 9110 §10.2.3)
 * @param dpopChallenge whether the challenge is {@code WWW-Authenticate: DPoP ...} (RFC
 * 9449 §7.1) instead of {@code Bearer}
 * @param dpopNonce the nonce the client must use (RFC 9449 §8, §9), answered in the
 * {@code DPoP-Nonce} header; {@code null} for none
 */
public record TollgateError(String code, HttpStatus status, String description, boolean challenge,
		boolean challengeCode, TokenRejection rejection, long retryAfterSeconds, boolean dpopChallenge,
		String dpopNonce) {

	/** An error without {@code Retry-After}. */
	public TollgateError(String code, HttpStatus status, String description, boolean challenge, boolean challengeCode,
			TokenRejection rejection) {
		this(code, status, description, challenge, challengeCode, rejection, 0);
	}

	/** An error that is not about DPoP. */
	public TollgateError(String code, HttpStatus status, String description, boolean challenge, boolean challengeCode,
			TokenRejection rejection, long retryAfterSeconds) {
		this(code, status, description, challenge, challengeCode, rejection, retryAfterSeconds, false, null);
	}

	/**
	 * This error answered with a {@code DPoP} challenge (RFC 9449 §7.1), for a request
	 * that used the {@code DPoP} scheme.
	 */
	public TollgateError withDpopChallenge() {
		return new TollgateError(this.code, this.status, this.description, true, this.challengeCode, this.rejection,
				this.retryAfterSeconds, true, this.dpopNonce);
	}

	/** Wraps this error in an exception, for code paths that cannot return it. */
	public TollgateErrorException exception() {
		return new TollgateErrorException(this);
	}

}
