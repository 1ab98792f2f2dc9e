package dev.tollgate.token.error;

import dev.tollgate.token.observe.TokenRejection;

import org.springframework.http.HttpStatus;

/**
 * Factories for every error the contract names. Descriptions passed in must be fixed
 * strings chosen by Tollgate, never text taken from a request, a token or an upstream
 * response.
 */
public final class TollgateErrors {

	/**
	 * The answer to every request without a token: one value, since it is the common case
	 * on public routes.
	 */
	private static final TollgateError MISSING_TOKEN = new TollgateError("invalid_token", HttpStatus.UNAUTHORIZED,
			"access token required", true, false, TokenRejection.MISSING);

	private TollgateErrors() {
	}

	/** No bearer token at all: 401, challenge without an error code (RFC 6750 §3.1). */
	public static TollgateError missingToken() {
		return MISSING_TOKEN;
	}

	/** A bearer token that fails verification: 401 with {@code error="invalid_token"}. */
	public static TollgateError invalidToken(TokenRejection rejection, String description) {
		return new TollgateError("invalid_token", HttpStatus.UNAUTHORIZED, description, true, true, rejection);
	}

	/**
	 * A malformed {@code Authorization} header: 400 with {@code error="invalid_request"}
	 * (RFC 6750 §3.1).
	 */
	public static TollgateError invalidAuthorization(String description) {
		return new TollgateError("invalid_request", HttpStatus.BAD_REQUEST, description, true, true,
				TokenRejection.MALFORMED);
	}

	/** A valid token without the role the route needs: 403 {@code insufficient_scope}. */
	public static TollgateError insufficientScope(String description) {
		return new TollgateError("insufficient_scope", HttpStatus.FORBIDDEN, description, true, true, null);
	}

	/** A malformed request to an auth endpoint: 400 {@code invalid_request}. */
	public static TollgateError invalidRequest(String description) {
		return plain("invalid_request", HttpStatus.BAD_REQUEST, description);
	}

	/**
	 * A resource that does not exist for this user, e.g. another user's session: 404
	 * {@code invalid_request}.
	 */
	public static TollgateError notFound(String description) {
		return plain("invalid_request", HttpStatus.NOT_FOUND, description);
	}

	/** A body larger than an auth endpoint accepts: 413 {@code invalid_request}. */
	public static TollgateError payloadTooLarge(String description) {
		return plain("invalid_request", HttpStatus.CONTENT_TOO_LARGE, description);
	}

	/** A request whose body did not arrive in time: 408 {@code invalid_request}. */
	public static TollgateError requestTimeout(String description) {
		return plain("invalid_request", HttpStatus.REQUEST_TIMEOUT, description);
	}

	/**
	 * Wrong username or password, as the user service said: 401
	 * {@code invalid_credentials}.
	 */
	public static TollgateError invalidCredentials() {
		return plain("invalid_credentials", HttpStatus.UNAUTHORIZED, "invalid username or password");
	}

	/**
	 * An unknown, expired, revoked or reused refresh token: 401 {@code invalid_grant}.
	 */
	public static TollgateError invalidGrant(String description) {
		return plain("invalid_grant", HttpStatus.UNAUTHORIZED, description);
	}

	/**
	 * Too many failed logins for this username and address, or this address: 429
	 * {@code too_many_attempts} with {@code Retry-After}, at least one second.
	 */
	public static TollgateError tooManyAttempts(long retryAfterSeconds) {
		return new TollgateError("too_many_attempts", HttpStatus.TOO_MANY_REQUESTS,
				"too many failed logins; retry later", false, false, null, Math.max(1, retryAfterSeconds));
	}

	/** A refused request, e.g. cross-site in cookie mode: 403 {@code access_denied}. */
	public static TollgateError accessDenied(String description) {
		return plain("access_denied", HttpStatus.FORBIDDEN, description);
	}

	/** The token store cannot be reached: 503 {@code temporarily_unavailable}. */
	public static TollgateError temporarilyUnavailable(String description) {
		return plain("temporarily_unavailable", HttpStatus.SERVICE_UNAVAILABLE, description);
	}

	/** The upstream failed or answered nonsense: 502 {@code bad_gateway}. */
	public static TollgateError badGateway(String description) {
		return plain("bad_gateway", HttpStatus.BAD_GATEWAY, description);
	}

	/** The upstream did not answer in time: 504 {@code gateway_timeout}. */
	public static TollgateError gatewayTimeout(String description) {
		return plain("gateway_timeout", HttpStatus.GATEWAY_TIMEOUT, description);
	}

	/**
	 * A DPoP proof that fails a check (RFC 9449 §4.3): {@code invalid_dpop_proof}, 400 at
	 * the token endpoint, 401 with a {@code DPoP} challenge at a resource (§7.1).
	 */
	public static TollgateError invalidDpopProof(String description, ProofUse use) {
		return invalidDpopProof(TokenRejection.DPOP_PROOF_INVALID, description, use);
	}

	/**
	 * A DPoP proof refused for the given metrics reason, e.g.
	 * {@link TokenRejection#DPOP_PROOF_MISSING} or
	 * {@link TokenRejection#DPOP_KEY_MISMATCH}.
	 */
	public static TollgateError invalidDpopProof(TokenRejection rejection, String description, ProofUse use) {
		return dpop("invalid_dpop_proof", use, description, rejection, null);
	}

	/** A DPoP proof seen before (RFC 9449 §11.1): {@code invalid_dpop_proof}. */
	public static TollgateError dpopReplay(ProofUse use) {
		return dpop("invalid_dpop_proof", use, "DPoP proof replayed", TokenRejection.DPOP_REPLAY, null);
	}

	/**
	 * A DPoP proof without the current server nonce (RFC 9449 §8, §9):
	 * {@code use_dpop_nonce} with {@code nonce} in the {@code DPoP-Nonce} header.
	 */
	public static TollgateError useDpopNonce(ProofUse use, String nonce) {
		return dpop("use_dpop_nonce", use, "DPoP nonce required", TokenRejection.DPOP_NONCE, nonce);
	}

	/**
	 * An access token refused on the DPoP path, e.g. a bound token sent as
	 * {@code Bearer}: 401 {@code invalid_token} with a {@code DPoP} challenge (RFC 9449
	 * §7.1).
	 */
	public static TollgateError invalidDpopToken(TokenRejection rejection, String description) {
		return new TollgateError("invalid_token", HttpStatus.UNAUTHORIZED, description, true, true, rejection, 0, true,
				null);
	}

	private static TollgateError dpop(String code, ProofUse use, String description, TokenRejection rejection,
			String nonce) {
		boolean resource = use == ProofUse.RESOURCE;
		return new TollgateError(code, use.status(), description, resource, resource, rejection, 0, resource, nonce);
	}

	private static TollgateError plain(String code, HttpStatus status, String description) {
		return new TollgateError(code, status, description, false, false, null);
	}

}
