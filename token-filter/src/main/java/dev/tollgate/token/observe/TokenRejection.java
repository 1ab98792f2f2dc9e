package dev.tollgate.token.observe;

import java.util.Locale;

/**
 * Why the access check did not accept a token: the closed list of the {@code reason} tag
 * of {@code tollgate.access.checks}. {@link #NONE} for an accepted token.
 */
public enum TokenRejection {

	/** Accepted. */
	NONE,

	/** No bearer token at all. */
	MISSING,

	/**
	 * Not a compact JWS, too large, bad base64url or JSON, or a malformed
	 * {@code Authorization} header.
	 */
	MALFORMED,

	/** Past {@code exp} plus the clock skew. */
	EXPIRED,

	/** Before {@code nbf} minus the clock skew. */
	NOT_YET_VALID,

	/** The signature does not verify. */
	BAD_SIGNATURE,

	/** {@code kid} names no configured key. */
	UNKNOWN_KEY,

	/** {@code iss} is not {@code tollgate.issuer}. */
	WRONG_ISSUER,

	/** {@code aud} does not hold {@code tollgate.audience}. */
	WRONG_AUDIENCE,

	/** {@code typ} is not {@code at+jwt}. */
	WRONG_TYPE,

	/** {@code alg} is not the configured algorithm ({@code none} included). */
	ALGORITHM,

	/**
	 * A header parameter that is never honoured ({@code jwk}, {@code jku}, {@code x5u},
	 * {@code x5c}, {@code crit}...).
	 */
	FORBIDDEN_HEADER,

	/**
	 * A claim missing or unusable ({@code exp}, {@code iat}, {@code jti}, {@code sub},
	 * {@code roles}, {@code sid}).
	 */
	INVALID_CLAIMS,

	/** The token's session was ended (logout, reuse detection, an operator). */
	REVOKED,

	/** A bound token, or a route that requires DPoP, without a {@code DPoP} proof. */
	DPOP_PROOF_MISSING,

	/** A DPoP proof that fails a check (RFC 9449 §4.3). */
	DPOP_PROOF_INVALID,

	/** A DPoP proof seen before (RFC 9449 §11.1). */
	DPOP_REPLAY,

	/** A DPoP proof signed by another key than the token's {@code cnf.jkt}. */
	DPOP_KEY_MISMATCH,

	/** A DPoP proof without the current server nonce (RFC 9449 §9). */
	DPOP_NONCE,

	/** A bound token sent as {@code Bearer} (RFC 9449 §7.2). */
	DPOP_BEARER_DOWNGRADE,

	/** A bearer token on a route whose metadata says {@code dpop: required}. */
	DPOP_REQUIRED;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/** The tag value: the constant's name in lower case. */
	public String tag() {
		return this.tag;
	}

}
