package dev.tollgate.routes.observe;

import java.util.Locale;

import dev.tollgate.token.observe.TokenRejection;

/** How a login ended: the {@code outcome} tag of {@code tollgate.logins}. */
public enum LoginOutcome {

	/**
	 * The user service vouched for the user; a session started and tokens were issued.
	 */
	SUCCESS,

	/** The user service answered 401 or 403. */
	INVALID_CREDENTIALS,

	/**
	 * Refused by Tollgate or the user service as a bad request: cross-site in cookie
	 * mode, too large, too slow, 4xx.
	 */
	REJECTED,

	/**
	 * Too many failures for this username and address, or this address: 429, the user
	 * service not called.
	 */
	LOCKED,

	/**
	 * The user service could not be reached, failed, or answered without a usable user
	 * id: 502.
	 */
	UPSTREAM_ERROR,

	/** The user service did not answer in time: 504. */
	TIMEOUT,

	/** The session store could not be reached: 503. */
	UNAVAILABLE,

	/**
	 * {@code tollgate.dpop.mode: required} and the login carried no DPoP proof: 400
	 * {@code invalid_dpop_proof}, the user service not called.
	 */
	DPOP_PROOF_REQUIRED,

	/**
	 * The login's DPoP proof failed a check of RFC 9449 §4.3 (or the header was
	 * repeated): 400 {@code invalid_dpop_proof}, the user service not called.
	 */
	DPOP_PROOF_INVALID,

	/**
	 * The login's DPoP proof was used before (RFC 9449 §11.1): 400
	 * {@code invalid_dpop_proof}, audited as {@code dpop_proof_replayed}.
	 */
	DPOP_REPLAY,

	/**
	 * The login's DPoP proof lacked the current server nonce (RFC 9449 §8): 400
	 * {@code use_dpop_nonce} with a {@code DPoP-Nonce}.
	 */
	DPOP_NONCE;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/**
	 * The outcome of a login refused for its DPoP proof with {@code rejection}, or
	 * {@code null} when {@code rejection} is not about a proof.
	 */
	public static LoginOutcome ofDpop(TokenRejection rejection) {
		if (rejection == null) {
			return null;
		}
		return switch (rejection) {
			case DPOP_PROOF_MISSING -> DPOP_PROOF_REQUIRED;
			case DPOP_REPLAY -> DPOP_REPLAY;
			case DPOP_NONCE -> DPOP_NONCE;
			case DPOP_PROOF_INVALID, DPOP_KEY_MISMATCH -> DPOP_PROOF_INVALID;
			default -> null;
		};
	}

	/** The tag value: the constant's name in lower case. */
	public String tag() {
		return this.tag;
	}

}
