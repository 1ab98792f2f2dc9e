package dev.tollgate.token.jwt;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * What access tokens say and how long they live: the {@code iss} and {@code aud} written
 * by the {@link AccessTokenIssuer} and required by the {@link AccessTokenVerifier}, the
 * lifetime of a new token and the leeway on {@code exp}, {@code nbf} and {@code iat} for
 * clocks that differ.
 *
 * @param issuer the {@code iss} claim
 * @param audience the {@code aud} claim
 * @param ttl the lifetime of a new access token
 * @param clockSkew the leeway allowed on {@code exp}, {@code nbf} and {@code iat}
 */
public record AccessTokenSettings(String issuer, String audience, Duration ttl, Duration clockSkew) {

	public AccessTokenSettings {
		Assert.hasText(issuer, "issuer must not be empty");
		Assert.hasText(audience, "audience must not be empty");
		Assert.isTrue(ttl != null && !ttl.isNegative() && !ttl.isZero(), "ttl must be positive");
		Assert.isTrue(clockSkew != null && !clockSkew.isNegative(), "clockSkew must not be negative");
	}

}
