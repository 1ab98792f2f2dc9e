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
 * Mints the signed identity a backend receives with a request that passed the access
 * check: a short JWT of its own type ({@value #TYPE}), so that it can never be taken for
 * an access token nor an access token for it, signed with keys of its own (EdDSA or
 * ES256, published in the JWK Set with their own {@code kid}). Claims: {@code iss},
 * {@code aud} (the route's audience, one string), {@code sub}, {@code roles},
 * {@code sid}, {@code iat}, {@code exp} (the assertion's lifetime, never past the access
 * token's {@code exp}) and {@code jti}.
 */
public final class AssertionIssuer {

	/** The {@code typ} header of every assertion. */
	public static final String TYPE = "tollgate-assertion+jwt";

	private final SigningKeys keys;

	private final SecureDigestAlgorithm<Key, ?> algorithm;

	private final String issuer;

	private final Duration ttl;

	private final Clock clock;

	/**
	 * @param keys the assertion keys (key 0 signs; all are published)
	 * @param issuer the {@code iss} written, the same as the access tokens'
	 * @param ttl the longest lifetime of an assertion
	 * @param clock the clock
	 */
	@SuppressWarnings("unchecked")
	public AssertionIssuer(SigningKeys keys, String issuer, Duration ttl, Clock clock) {
		if (keys.algorithm() != SigningAlgorithm.EdDSA && keys.algorithm() != SigningAlgorithm.ES256) {
			throw new IllegalArgumentException(
					"assertions are signed with EdDSA or ES256, not " + keys.algorithm().id());
		}
		this.keys = keys;
		this.algorithm = (SecureDigestAlgorithm<Key, ?>) keys.algorithm().jws();
		this.issuer = issuer;
		this.ttl = ttl;
		this.clock = clock;
	}

	/**
	 * An assertion of {@code token}'s identity for the backend whose audience is
	 * {@code audience}.
	 */
	public Assertion issue(VerifiedAccessToken token, String audience) {
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(this.ttl);
		boolean capped = token.expiresAt().isBefore(expiresAt);
		if (capped) {
			expiresAt = token.expiresAt();
		}
		var claims = Jwts.builder()
			.header()
			.type(TYPE)
			.keyId(this.keys.signingKeyId())
			.and()
			.issuer(this.issuer)
			.audience()
			.single(audience)
			.subject(token.subject())
			.claim(ClaimRules.ROLES, token.roles());
		if (token.sessionId() != null) {
			claims.claim(ClaimRules.SESSION_ID, token.sessionId());
		}
		String value = claims.issuedAt(Date.from(now))
			.expiration(Date.from(expiresAt))
			.id(UUID.randomUUID().toString())
			.signWith(this.keys.signingKey(), this.algorithm)
			.compact();
		return new Assertion(value, expiresAt, capped);
	}

	/**
	 * The assertion keys' public JWKs, each with its {@code kid}, {@code "use": "sig"}
	 * and {@code alg}.
	 */
	public List<Map<String, ?>> publicJwks() {
		return this.keys.publicJwks();
	}

	/** The ids of the assertion keys, the signing key first. */
	public List<String> keyIds() {
		return this.keys.keyIds();
	}

	/** The longest lifetime of an assertion. */
	public Duration ttl() {
		return this.ttl;
	}

	/**
	 * A minted assertion.
	 *
	 * @param value the compact JWS
	 * @param expiresAt its {@code exp}
	 * @param cappedByAccessToken whether {@code exp} is the access token's (it could not
	 * be given its full lifetime)
	 */
	public record Assertion(String value, Instant expiresAt, boolean cappedByAccessToken) {

		@Override
		public String toString() {
			return "Assertion[expiresAt=" + this.expiresAt + "]";
		}

	}

}
