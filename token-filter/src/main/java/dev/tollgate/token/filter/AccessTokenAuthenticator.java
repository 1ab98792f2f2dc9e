package dev.tollgate.token.filter;

import java.util.List;

import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import dev.tollgate.token.observe.TokenRejection;

import org.springframework.http.HttpHeaders;

/**
 * Who a request is, from its {@code Authorization: Bearer} header (RFC 6750 §2.1): the
 * token verified (from the validated-token cache when seen before) and its session not
 * revoked. The one authentication of the access check and of Tollgate's own endpoints
 * that need a user ({@code /auth/sessions}).
 */
public final class AccessTokenAuthenticator {

	private final AccessTokenVerifier verifier;

	private final SessionRevocations revocations;

	public AccessTokenAuthenticator(AccessTokenVerifier verifier, SessionRevocations revocations) {
		this.verifier = verifier;
		this.revocations = revocations;
	}

	/**
	 * The identity the request's bearer token proves; {@code null} when it carries no
	 * bearer token.
	 * @throws dev.tollgate.token.error.TollgateErrorException for a malformed header
	 * (400), or a token that is invalid or whose session was revoked (401
	 * {@code invalid_token})
	 */
	public VerifiedAccessToken authenticate(HttpHeaders headers) {
		List<String> values = headers.get(HttpHeaders.AUTHORIZATION);
		if (values == null || values.isEmpty()) {
			return null;
		}
		if (values.size() > 1) {
			throw TollgateErrors.invalidAuthorization("more than one Authorization header").exception();
		}
		String token = BearerTokenExtractor.extract(values.get(0));
		if (token == null) {
			return null;
		}
		VerifiedAccessToken verified = this.verifier.verify(token);
		if (verified.sessionId() != null && this.revocations.isRevoked(verified.sessionId())) {
			throw TollgateErrors.invalidToken(TokenRejection.REVOKED, "session revoked").exception();
		}
		return verified;
	}

}
