package dev.tollgate.routes.http;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.routes.session.IssuedRefreshToken;
import dev.tollgate.routes.session.Session;
import dev.tollgate.token.dpop.DpopHeader;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AccessTokenIssuer.IssuedAccessToken;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;

/**
 * Builds the token response of login and refresh: a fresh access token for the session
 * plus the refresh token, as JSON with {@code Cache-Control: no-store} (RFC 6749 §5.1),
 * or in cookie mode with the refresh token only in a {@code __Secure-} HttpOnly,
 * SameSite=Strict cookie scoped to the auth endpoints. The access token of a session
 * bound to a DPoP key carries that key's thumbprint ({@code cnf.jkt}) and the response
 * says {@code "tokenType": "DPoP"} (RFC 9449 §5); a bearer session's says {@code Bearer}.
 */
public final class TokenResponses {

	private static final JsonMapper JSON = JsonMapper.shared();

	private final AccessTokenIssuer issuer;

	private final CookieSettings cookie;

	private final Clock clock;

	public TokenResponses(AccessTokenIssuer issuer, CookieSettings cookie, Clock clock) {
		this.issuer = issuer;
		this.cookie = cookie;
		this.clock = clock;
	}

	/**
	 * Mints an access token for the refresh token's session (bound to the session's DPoP
	 * key, if any) and renders both.
	 * @param dpopNonce the server nonce the answer carries in {@code DPoP-Nonce} (RFC
	 * 9449 §8.2), or {@code null}
	 */
	public TokenResponse create(IssuedRefreshToken refreshToken, String dpopNonce) {
		Session session = refreshToken.session();
		IssuedAccessToken access = this.issuer.issue(session.userId(), session.roles(), session.id(),
				session.keyThumbprint());
		long refreshExpiresIn = ceilSeconds(Duration.between(this.clock.instant(), refreshToken.expiresAt()));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("accessToken", access.value());
		body.put("tokenType", session.bound() ? "DPoP" : "Bearer");
		body.put("expiresIn", access.expiresIn());
		ResponseCookie setCookie = null;
		if (this.cookie.enabled()) {
			setCookie = refreshCookie(refreshToken.value(), refreshExpiresIn);
		}
		else {
			body.put("refreshToken", refreshToken.value());
		}
		body.put("refreshExpiresIn", refreshExpiresIn);
		return new TokenResponse(JSON.writeValueAsBytes(body), setCookie, dpopNonce);
	}

	private static long ceilSeconds(Duration duration) {
		return duration.isNegative() ? 0 : (duration.toMillis() + 999) / 1000;
	}

	/**
	 * The cookie that deletes the refresh cookie, for logout in cookie mode; {@code null}
	 * in body mode.
	 */
	public ResponseCookie clearingCookie() {
		return this.cookie.enabled() ? refreshCookie("", 0) : null;
	}

	private ResponseCookie refreshCookie(String value, long maxAgeSeconds) {
		return ResponseCookie.from(this.cookie.name(), value)
			.httpOnly(true)
			.secure(true)
			.sameSite("Strict")
			.path(this.cookie.path())
			.maxAge(maxAgeSeconds)
			.build();
	}

	/**
	 * A rendered token response.
	 *
	 * @param json the JSON body
	 * @param cookie the refresh cookie in cookie mode, else {@code null}
	 * @param dpopNonce the {@code DPoP-Nonce} the answer carries, else {@code null}
	 */
	public record TokenResponse(byte[] json, ResponseCookie cookie, String dpopNonce) {

		/**
		 * Sets the headers of a token response: JSON, never cached, the cookie and the
		 * DPoP nonce if any.
		 */
		public void applyHeaders(HttpHeaders headers) {
			headers.setContentType(MediaType.APPLICATION_JSON);
			headers.setCacheControl("no-store");
			headers.setPragma("no-cache");
			headers.setContentLength(this.json.length);
			if (this.cookie != null) {
				headers.add(HttpHeaders.SET_COOKIE, this.cookie.toString());
			}
			if (this.dpopNonce != null) {
				headers.set(DpopHeader.NONCE, this.dpopNonce);
			}
		}

		@Override
		public String toString() {
			return "TokenResponse[" + this.json.length + " bytes]";
		}

	}

}
