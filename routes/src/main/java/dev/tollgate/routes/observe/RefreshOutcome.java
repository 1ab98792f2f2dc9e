package dev.tollgate.routes.observe;

import java.util.Locale;

import dev.tollgate.token.observe.TokenRejection;

/** How a refresh ended: the {@code outcome} tag of {@code tollgate.refreshes}. */
public enum RefreshOutcome {

	/** The current refresh token was traded for a new pair. */
	ROTATED,

	/**
	 * The immediate predecessor, retried within the grace window or after a rotation
	 * whose answer never reached the client: the same successor again.
	 */
	RETRIED,

	/**
	 * An already-rotated token came back, at refresh or at logout: the session ended
	 * (theft detection).
	 */
	REUSED,

	/** Unknown or expired token, or one of an ended session: 401 invalid_grant. */
	INVALID,

	/**
	 * No readable token: a malformed, missing, too large or too slow body, or no refresh
	 * cookie.
	 */
	MALFORMED,

	/** Cross-site in cookie mode: 403. */
	DENIED,

	/**
	 * Presented by another client than the one that logged in, under the enforce policy:
	 * the session ended.
	 */
	BINDING_MISMATCH,

	/** The session store could not be reached: 503. */
	UNAVAILABLE,

	/**
	 * The refresh's DPoP proof failed a check of RFC 9449 §4.3 (or the header was
	 * repeated): 400 {@code invalid_dpop_proof}, the store not touched.
	 */
	DPOP_PROOF_INVALID,

	/**
	 * The refresh's DPoP proof was used before (RFC 9449 §11.1): 400
	 * {@code invalid_dpop_proof}, the store not touched, audited as
	 * {@code dpop_proof_replayed}.
	 */
	DPOP_REPLAY,

	/**
	 * The refresh's DPoP proof lacked the current server nonce (RFC 9449 §8): 400
	 * {@code use_dpop_nonce} with a {@code DPoP-Nonce}, the store not touched.
	 */
	DPOP_NONCE,

	/**
	 * The session is bound to a DPoP key and the refresh carried no proof, or a proof by
	 * another key: 400 {@code invalid_grant}, nothing rotated (the session ended under
	 * the {@code enforce} binding policy); audited as {@code refresh_dpop_key_mismatch}.
	 */
	DPOP_KEY_MISMATCH;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/**
	 * The outcome of a refresh refused for its DPoP proof with {@code rejection}, or
	 * {@code null} when {@code rejection} is not about a proof.
	 */
	public static RefreshOutcome ofDpop(TokenRejection rejection) {
		if (rejection == null) {
			return null;
		}
		return switch (rejection) {
			case DPOP_REPLAY -> DPOP_REPLAY;
			case DPOP_NONCE -> DPOP_NONCE;
			case DPOP_PROOF_MISSING, DPOP_PROOF_INVALID, DPOP_KEY_MISMATCH -> DPOP_PROOF_INVALID;
			default -> null;
		};
	}

	/** The tag value: the constant's name in lower case. */
	public String tag() {
		return this.tag;
	}

}
