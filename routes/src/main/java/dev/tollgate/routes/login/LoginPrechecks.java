package dev.tollgate.routes.login;

import dev.tollgate.routes.dpop.ProvenKey;
import dev.tollgate.routes.dpop.TokenEndpointProof;
import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.routes.http.CrossSiteRequests;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The refusals a login gets from its headers alone, before its body is read and the user
 * service is called: in cookie mode a cross-site request (403 {@code access_denied}: else
 * an attacker's page could log a victim's browser into the attacker's session), a body
 * announced larger than {@code tollgate.login.max-body-size} (413), and a DPoP proof that
 * is invalid, replayed or lacks the server nonce, or is missing under
 * {@code tollgate.dpop.mode: required} (400, {@link TokenEndpointProof}). What passes
 * tells the key the login proved, which the session will be bound to.
 */
final class LoginPrechecks {

	/** Cookie mode's cross-site refusal, or {@code null} in body mode. */
	private final CrossSiteRequests crossSite;

	private final int maxBodyBytes;

	private final TokenEndpointProof proof;

	LoginPrechecks(CookieSettings cookie, int maxBodyBytes) {
		this(cookie, maxBodyBytes, TokenEndpointProof.OFF);
	}

	LoginPrechecks(CookieSettings cookie, int maxBodyBytes, TokenEndpointProof proof) {
		this.crossSite = cookie.enabled() ? new CrossSiteRequests(cookie.allowedOrigins()) : null;
		this.maxBodyBytes = maxBodyBytes;
		this.proof = proof;
	}

	/**
	 * The key a login with this request proved ({@link ProvenKey#NONE} for a bearer
	 * login), or an error signal of {@link TollgateErrorException} with its refusal: the
	 * headers' refusals first, then the DPoP proof's (which records the proof as used).
	 */
	Mono<ProvenKey> check(ServerHttpRequest request) {
		TollgateError refusal = refusal(request.getHeaders());
		if (refusal != null) {
			return Mono.error(refusal.exception());
		}
		return this.proof.login(request);
	}

	/** The key a login with {@code key} proved is answered with this DPoP nonce. */
	String responseNonce(ProvenKey key) {
		return this.proof.responseNonce(key);
	}

	/**
	 * The answer to a login with these request headers, or {@code null} when its body may
	 * be read.
	 */
	TollgateError refusal(HttpHeaders headers) {
		TollgateError refusal = (this.crossSite != null) ? this.crossSite.refusal(headers) : null;
		if (refusal == null && headers.getContentLength() > this.maxBodyBytes) {
			refusal = TollgateErrors.payloadTooLarge("body too large");
		}
		return refusal;
	}

}
