package dev.tollgate.routes.dpop;

import dev.tollgate.token.dpop.DpopHeader;
import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopProof;
import dev.tollgate.token.dpop.DpopProofVerifier;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.DpopRequestUri;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.error.ProofUse;
import dev.tollgate.token.error.TollgateErrorException;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The DPoP proof of a request to the token endpoint (RFC 9449 §5): a login through
 * {@code IssueTokens}, or {@code POST /auth/refresh}. The one {@code DPoP} header
 * ({@link DpopHeader}) is checked by the {@link DpopProofVerifier} as
 * {@link ProofUse#TOKEN_ENDPOINT} ({@code htm} the request's method, {@code htu} the URL
 * the client used per {@link DpopRequestUri}, no {@code ath}, the server nonce when
 * {@code tollgate.dpop.nonce} is {@code token-endpoint} or {@code always}), then recorded
 * by the {@link DpopReplayGuard} (shared by every instance with the Redis store), so that
 * a proof is accepted once. Every refusal is an error signal of
 * {@link TollgateErrorException}, 400 {@code invalid_dpop_proof} or
 * {@code use_dpop_nonce} (with {@code DPoP-Nonce}), before the caller has called the user
 * service or touched the session store.
 * <p>
 * With {@code tollgate.dpop.mode: off} a {@code DPoP} header is ignored; with
 * {@code required} a login must carry a proof. A refresh without a proof is the store's
 * to judge: a bearer session takes it, a bound one refuses it.
 */
public final class TokenEndpointProof {

	/** DPoP off: every request is a bearer request. */
	public static final TokenEndpointProof OFF = new TokenEndpointProof(null, null, null, null);

	private final DpopSettings settings;

	private final DpopProofVerifier verifier;

	private final DpopRequestUri requestUri;

	private final DpopReplayGuard replay;

	/**
	 * @param settings {@code tollgate.dpop.*}; {@code null} or mode off: proofs are not
	 * read
	 * @param verifier checks proofs
	 * @param requestUri the URL a proof's {@code htu} must match
	 * @param replay remembers the proofs used
	 */
	public TokenEndpointProof(DpopSettings settings, DpopProofVerifier verifier, DpopRequestUri requestUri,
			DpopReplayGuard replay) {
		boolean on = settings != null && settings.mode() != DpopMode.OFF && verifier != null && requestUri != null
				&& replay != null;
		this.settings = on ? settings : null;
		this.verifier = verifier;
		this.requestUri = requestUri;
		this.replay = replay;
	}

	/**
	 * The key a login proved: {@link ProvenKey#NONE} without a proof (refused with
	 * {@code tollgate.dpop.mode: required}: "DPoP proof required").
	 */
	public Mono<ProvenKey> login(ServerHttpRequest request) {
		return check(request, this.settings != null && this.settings.mode() == DpopMode.REQUIRED);
	}

	/** The key a refresh proved: {@link ProvenKey#NONE} without a proof. */
	public Mono<ProvenKey> refresh(ServerHttpRequest request) {
		return check(request, false);
	}

	/**
	 * The nonce the answer to a request that proved {@code key} carries in
	 * {@code DPoP-Nonce} (RFC 9449 §8.2), or {@code null}: none without a proof or when
	 * nonces are off.
	 */
	public String responseNonce(ProvenKey key) {
		return (this.settings != null && key.proved()) ? this.verifier.responseNonce() : null;
	}

	private Mono<ProvenKey> check(ServerHttpRequest request, boolean required) {
		if (this.settings == null) {
			return Mono.just(ProvenKey.NONE);
		}
		return Mono.defer(() -> {
			String header = DpopHeader.single(request.getHeaders(), ProofUse.TOKEN_ENDPOINT);
			if (header == null && !required) {
				return Mono.just(ProvenKey.NONE);
			}
			// a missing header under required is refused here, as "DPoP proof required"
			DpopProof proof = this.verifier.verify(header, request.getMethod(), this.requestUri.of(request), null,
					ProofUse.TOKEN_ENDPOINT);
			return this.replay.requireFirstUse(proof, ProofUse.TOKEN_ENDPOINT)
				.thenReturn(new ProvenKey(proof.keyThumbprint()));
		});
	}

}
