package dev.tollgate.token.filter;

import java.util.List;

import dev.tollgate.token.dpop.DpopHeader;
import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopProof;
import dev.tollgate.token.dpop.DpopProofVerifier;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.DpopRequestUri;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.dpop.LocalDpopReplayGuard;
import dev.tollgate.token.error.ProofUse;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import dev.tollgate.token.observe.TokenRejection;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Who a request is, from its {@code Authorization} header: {@code Bearer} (RFC 6750 §2.1)
 * or {@code DPoP} with a {@code DPoP} proof (RFC 9449 §7). The token is verified (from
 * the validated-token cache when seen before) and its session not revoked; a DPoP-bound
 * token ({@code cnf.jkt}) is accepted only with the {@code DPoP} scheme and a proof
 * signed by its key, for this request, hashing this token, not seen before. The one
 * authentication of the access check and of Tollgate's own endpoints that need a user.
 * <p>
 * A bearer request is checked synchronously (no {@link Mono} per request on that path);
 * so is a DPoP request whose replay check is in this instance's memory. Only the shared
 * replay guard ({@code tollgate.dpop.access-replay: shared}) makes the check reactive.
 */
public final class AccessTokenAuthenticator {

	private final AccessTokenVerifier verifier;

	private final SessionRevocations revocations;

	private final DpopSettings dpop;

	private final DpopProofVerifier proofs;

	private final DpopRequestUri requestUri;

	private final DpopReplayGuard replay;

	/** Bearer tokens only: DPoP off. */
	public AccessTokenAuthenticator(AccessTokenVerifier verifier, SessionRevocations revocations) {
		this(verifier, revocations, null, null, null, null);
	}

	/**
	 * Bearer and DPoP-bound tokens.
	 * @param dpop the DPoP settings; {@code null} or mode off: the {@code DPoP} scheme is
	 * not read
	 * @param proofs checks proofs
	 * @param requestUri the URL a proof's {@code htu} must match
	 * @param replay the replay guard of the access path: a {@link LocalDpopReplayGuard}
	 * (checked without a {@link Mono}) or the shared one
	 */
	public AccessTokenAuthenticator(AccessTokenVerifier verifier, SessionRevocations revocations, DpopSettings dpop,
			DpopProofVerifier proofs, DpopRequestUri requestUri, DpopReplayGuard replay) {
		this.verifier = verifier;
		this.revocations = revocations;
		this.dpop = (dpop != null && dpop.mode() != DpopMode.OFF && proofs != null) ? dpop : null;
		this.proofs = proofs;
		this.requestUri = requestUri;
		this.replay = replay;
	}

	/**
	 * The identity the request's token proves; empty when it carries no token of a scheme
	 * Tollgate reads.
	 * @return the identity, or an error signal of {@link TollgateErrorException}: a
	 * malformed header (400), a token that is invalid or whose session was revoked (401
	 * {@code invalid_token}), a bound token sent as {@code Bearer}, a missing or invalid
	 * proof, a replay (401 {@code invalid_dpop_proof}) or a missing nonce (401
	 * {@code use_dpop_nonce})
	 */
	@SuppressWarnings("unchecked")
	public Mono<VerifiedAccessToken> authenticate(ServerHttpRequest request) {
		Object result;
		try {
			result = authenticateNow(request);
		}
		catch (TollgateErrorException ex) {
			return Mono.error(ex);
		}
		return (result instanceof Mono<?> pending) ? (Mono<VerifiedAccessToken>) pending
				: Mono.justOrEmpty((VerifiedAccessToken) result);
	}

	/**
	 * The identity the request's bearer token proves; {@code null} when it carries no
	 * bearer token. Bound tokens are refused: they need the request for their proof.
	 * @throws TollgateErrorException as {@link #authenticate(ServerHttpRequest)}
	 * @deprecated use {@link #authenticate(ServerHttpRequest)}, which reads DPoP-bound
	 * tokens too
	 */
	@Deprecated
	public VerifiedAccessToken authenticate(HttpHeaders headers) {
		String authorization = authorization(headers);
		String token = (authorization != null) ? BearerTokenExtractor.extract(authorization) : null;
		return (token != null) ? bearer(token) : null;
	}

	/**
	 * The current nonce a successful DPoP response carries ({@code DPoP-Nonce}, RFC 9449
	 * §8.2), or {@code null} when nonces are off.
	 */
	public String responseNonce() {
		return (this.dpop != null) ? this.proofs.responseNonce() : null;
	}

	/**
	 * Sets {@code DPoP-Nonce} on a response to {@code token}'s request when the token is
	 * DPoP-bound and nonces are on (RFC 9449 §8.2), so that its client always holds a
	 * fresh nonce; call it on the exchange's response headers before the response is
	 * written.
	 */
	public void addResponseNonce(VerifiedAccessToken token, HttpHeaders responseHeaders) {
		String nonce = (token.keyThumbprint() != null) ? responseNonce() : null;
		if (nonce != null) {
			responseHeaders.set(DpopHeader.NONCE, nonce);
		}
	}

	/**
	 * The check without a {@link Mono} where none is needed: {@code null} (no token), a
	 * {@link VerifiedAccessToken} (accepted) or, with the shared replay guard, a
	 * {@code Mono<VerifiedAccessToken>}.
	 * @throws TollgateErrorException when refused
	 */
	Object authenticateNow(ServerHttpRequest request) {
		String authorization = authorization(request.getHeaders());
		if (authorization == null) {
			return null;
		}
		String token = BearerTokenExtractor.extract(authorization);
		if (token != null) {
			return bearer(token);
		}
		if (this.dpop == null) {
			return null;
		}
		token = BearerTokenExtractor.extractDpop(authorization);
		return (token != null) ? dpop(request, token) : null;
	}

	private VerifiedAccessToken bearer(String token) {
		VerifiedAccessToken verified = this.verifier.verify(token);
		if (verified.keyThumbprint() != null) {
			throw TollgateErrors
				.invalidDpopToken(TokenRejection.DPOP_BEARER_DOWNGRADE, "DPoP-bound token sent as Bearer")
				.exception();
		}
		requireLive(verified);
		return verified;
	}

	private Object dpop(ServerHttpRequest request, String token) {
		String proof = DpopHeader.single(request.getHeaders(), ProofUse.RESOURCE);
		VerifiedAccessToken verified;
		try {
			verified = this.verifier.verify(token);
			requireLive(verified);
		}
		catch (TollgateErrorException ex) {
			throw ex.error().withDpopChallenge().exception();
		}
		if (verified.keyThumbprint() == null) {
			throw TollgateErrors.invalidDpopToken(TokenRejection.DPOP_KEY_MISMATCH, "access token not DPoP-bound")
				.exception();
		}
		DpopProof checked = this.proofs.verify(proof, request.getMethod(), this.requestUri.of(request), token,
				ProofUse.RESOURCE);
		if (!checked.keyThumbprint().equals(verified.keyThumbprint())) {
			throw TollgateErrors
				.invalidDpopProof(TokenRejection.DPOP_KEY_MISMATCH, "DPoP proof key does not match the token",
						ProofUse.RESOURCE)
				.exception();
		}
		if (this.replay instanceof LocalDpopReplayGuard local) {
			if (!local.firstUseNow(checked)) {
				throw TollgateErrors.dpopReplay(ProofUse.RESOURCE).exception();
			}
			return verified;
		}
		return this.replay.requireFirstUse(checked, ProofUse.RESOURCE).thenReturn(verified);
	}

	private void requireLive(VerifiedAccessToken verified) {
		if (verified.sessionId() != null && this.revocations.isRevoked(verified.sessionId())) {
			throw TollgateErrors.invalidToken(TokenRejection.REVOKED, "session revoked").exception();
		}
	}

	private static String authorization(HttpHeaders headers) {
		List<String> values = headers.get(HttpHeaders.AUTHORIZATION);
		if (values == null || values.isEmpty()) {
			return null;
		}
		if (values.size() > 1) {
			throw TollgateErrors.invalidAuthorization("more than one Authorization header").exception();
		}
		return values.get(0);
	}

}
