package dev.tollgate.token.jwt;

import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SecureDigestAlgorithm;

/**
 * Mints access tokens: JWTs in the RFC 9068 profile ({@code typ: at+jwt}) signed with key
 * 0.
 */
public final class AccessTokenIssuer {

	/** The {@code typ} header of every access token (RFC 9068 §2.1). */
	public static final String TOKEN_TYPE = "at+jwt";

	private final SigningKeys keys;

	private final SecureDigestAlgorithm<Key, ?> algorithm;

	private final String issuer;

	private final String audience;

	private final Duration ttl;

	private final Clock clock;

	@SuppressWarnings("unchecked")
	public AccessTokenIssuer(AccessTokenSettings settings, SigningKeys keys, Clock clock) {
		this.keys = keys;
		this.algorithm = (SecureDigestAlgorithm<Key, ?>) keys.algorithm().jws();
		this.issuer = settings.issuer();
		this.audience = settings.audience();
		this.ttl = settings.ttl();
		this.clock = clock;
	}

	/**
	 * Mints a token for {@code subject} with {@code roles}, bound to the login session
	 * {@code sessionId}.
	 * @throws IllegalArgumentException when the subject or a role could not be carried
	 * safely in the {@code X-User-*} headers (blank, control characters, a comma in a
	 * role)
	 */
	public IssuedAccessToken issue(String subject, List<String> roles, String sessionId) {
		return issue(subject, roles, sessionId, null);
	}

	/**
	 * Mints a token for {@code subject} with {@code roles}, bound to the login session
	 * {@code sessionId} and, for a DPoP-bound session, to the key whose RFC 7638
	 * thumbprint is {@code keyThumbprint} ({@code cnf.jkt}, RFC 9449 §6.1).
	 * @param keyThumbprint the {@code jkt}; {@code null} for a bearer token
	 * @throws IllegalArgumentException when the subject or a role could not be carried
	 * safely in the {@code X-User-*} headers, or the thumbprint is not 43 base64url
	 * characters
	 */
	public IssuedAccessToken issue(String subject, List<String> roles, String sessionId, String keyThumbprint) {
		if (keyThumbprint != null && !ClaimRules.isKeyThumbprint(keyThumbprint)) {
			throw new IllegalArgumentException("a key thumbprint is 43 base64url characters");
		}
		ClaimRules.requireSubject(subject);
		ClaimRules.requireRoles(roles);
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(this.ttl);
		String id = UUID.randomUUID().toString();
		String token = Jwts.builder()
			.header()
			.type(TOKEN_TYPE)
			.keyId(this.keys.signingKeyId())
			.and()
			.issuer(this.issuer)
			.audience()
			.add(this.audience)
			.and()
			.subject(subject)
			.claim(ClaimRules.ROLES, List.copyOf(roles))
			.claim(ClaimRules.SESSION_ID, sessionId)
			.claim(ClaimRules.CONFIRMATION,
					(keyThumbprint != null) ? Map.of(ClaimRules.KEY_THUMBPRINT, keyThumbprint) : null)
			.issuedAt(Date.from(now))
			.expiration(Date.from(expiresAt))
			.id(id)
			.signWith(this.keys.signingKey(), this.algorithm)
			.compact();
		return new IssuedAccessToken(token, id, expiresAt, this.ttl.toSeconds());
	}

	/**
	 * A freshly minted access token.
	 *
	 * @param value the compact JWS
	 * @param id the {@code jti}
	 * @param expiresAt the {@code exp}
	 * @param expiresIn seconds from now until {@code exp}, for the token response's
	 * {@code expiresIn}
	 */
	public record IssuedAccessToken(String value, String id, Instant expiresAt, long expiresIn) {

		@Override
		public String toString() {
			return "IssuedAccessToken[id=" + this.id + ", expiresAt=" + this.expiresAt + "]";
		}

	}

}
