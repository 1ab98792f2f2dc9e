package dev.tollgate.token.jwt;

import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;

import dev.tollgate.token.observe.TokenRejection;
import io.jsonwebtoken.Claims;

/**
 * The claims of a token whose signature, {@code iss}, {@code aud}, {@code exp} and
 * {@code nbf} jjwt already checked, against what jjwt does not check by default (RFC 9068
 * §2.2, RFC 8725 §3.10): {@code exp}, {@code iat} and {@code jti} present, {@code iat}
 * not in the future, {@code sub} and {@code roles} that the {@code X-User-*} headers can
 * carry safely ({@link ClaimRules}), {@code sid} a string when present, {@code cnf} when
 * present an object whose only member is {@code jkt}, a key thumbprint (RFC 9449 §6.1).
 */
final class AccessTokenClaimsValidator {

	private final Clock clock;

	private final long clockSkewSeconds;

	AccessTokenClaimsValidator(Clock clock, long clockSkewSeconds) {
		this.clock = clock;
		this.clockSkewSeconds = clockSkewSeconds;
	}

	/**
	 * The identity the claims prove.
	 * @throws dev.tollgate.token.error.TollgateErrorException naming the first claim that
	 * fails
	 */
	VerifiedAccessToken validate(Claims claims) {
		Date expiration = claims.getExpiration();
		if (expiration == null) {
			throw InvalidToken.of(TokenRejection.INVALID_CLAIMS, "missing exp claim");
		}
		Date issuedAt = claims.getIssuedAt();
		if (issuedAt == null) {
			throw InvalidToken.of(TokenRejection.INVALID_CLAIMS, "missing iat claim");
		}
		if (issuedAt.toInstant().isAfter(this.clock.instant().plusSeconds(this.clockSkewSeconds))) {
			throw InvalidToken.of(TokenRejection.INVALID_CLAIMS, "token issued in the future");
		}
		if (!ClaimRules.isValidSubject(claims.get(Claims.SUBJECT))) {
			throw InvalidToken.of(TokenRejection.INVALID_CLAIMS, "invalid sub claim");
		}
		Object roles = claims.getOrDefault(ClaimRules.ROLES, List.of());
		if (!ClaimRules.isValidRoles(roles)) {
			throw InvalidToken.of(TokenRejection.INVALID_CLAIMS, "invalid roles claim");
		}
		Object sessionId = claims.get(ClaimRules.SESSION_ID);
		if (sessionId != null && !(sessionId instanceof String)) {
			throw InvalidToken.of(TokenRejection.INVALID_CLAIMS, "invalid sid claim");
		}
		if (claims.getId() == null) {
			throw InvalidToken.of(TokenRejection.INVALID_CLAIMS, "missing jti claim");
		}
		String keyThumbprint = keyThumbprint(claims.get(ClaimRules.CONFIRMATION));
		@SuppressWarnings("unchecked")
		List<String> roleList = (List<String>) roles;
		Date notBefore = claims.getNotBefore();
		return new VerifiedAccessToken(claims.getSubject(), roleList, (String) sessionId, expiration.toInstant(),
				(notBefore != null) ? notBefore.toInstant() : null, keyThumbprint);
	}

	/** The {@code jkt} of a {@code cnf} claim, {@code null} without one. */
	private static String keyThumbprint(Object confirmation) {
		if (confirmation == null) {
			return null;
		}
		if (!(confirmation instanceof Map<?, ?> members) || members.size() != 1
				|| !ClaimRules.isKeyThumbprint(members.get(ClaimRules.KEY_THUMBPRINT))) {
			throw InvalidToken.of(TokenRejection.INVALID_CLAIMS, "invalid cnf claim");
		}
		return (String) members.get(ClaimRules.KEY_THUMBPRINT);
	}

	/** Why jjwt refused a claim it was told to require ({@code iss}, {@code aud}). */
	static TokenRejection rejection(String claim) {
		if (Claims.ISSUER.equals(claim)) {
			return TokenRejection.WRONG_ISSUER;
		}
		return Claims.AUDIENCE.equals(claim) ? TokenRejection.WRONG_AUDIENCE : TokenRejection.INVALID_CLAIMS;
	}

}
