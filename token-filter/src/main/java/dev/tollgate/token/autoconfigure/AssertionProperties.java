package dev.tollgate.token.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.tollgate.token.jwt.SigningAlgorithm;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The signed identity for backends under {@code tollgate.assertion}: on every request
 * that passed the access check on a route that is not public, a short JWT in a header of
 * its own, signed with keys of its own and published in the JWK Set. Validated when
 * bound.
 *
 * @param enabled Whether requests that passed the access check carry the signed identity
 * to their upstream
 * @param headerName The request header that carries it; client-sent headers of this name
 * are removed on every route
 * @param ttl Longest lifetime of an assertion (never past the access token's exp); it is
 * reused until a third is left
 * @param algorithm How assertions are signed: EdDSA (Ed25519) or ES256
 * @param keys PEM keys that sign assertions (key 0) and verify them (all, for rotation);
 * with none, a key pair is derived from the access-token signing key, the same on every
 * instance that shares it
 * @param forwardAccessToken Whether the client's Authorization header still goes upstream
 * beside the assertion where the route's metadata forward-access-token does not say
 * @param cache The cache of minted assertions
 */
@ConfigurationProperties("tollgate.assertion")
public record AssertionProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("X-Tollgate-Assertion") String headerName, @DefaultValue("60s") Duration ttl,
		@DefaultValue("EdDSA") String algorithm, List<TokenProperties.Key> keys,
		@DefaultValue("true") boolean forwardAccessToken, @DefaultValue Cache cache) {

	public AssertionProperties {
		if (headerName == null || !headerName.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
			throw new TollgateConfigurationException("tollgate.assertion.header-name", "is '" + headerName + "'",
					"name an HTTP header, e.g. X-Tollgate-Assertion");
		}
		if (ttl.compareTo(Duration.ofSeconds(5)) < 0 || ttl.compareTo(Duration.ofMinutes(15)) > 0) {
			throw new TollgateConfigurationException("tollgate.assertion.ttl", "is " + ttl + ", outside 5s..15m",
					"keep it short, e.g. 60s: a backend accepts an assertion until it expires");
		}
		SigningAlgorithm chosen = SigningAlgorithm.fromId(algorithm);
		if (chosen != SigningAlgorithm.EdDSA && chosen != SigningAlgorithm.ES256) {
			throw new TollgateConfigurationException("tollgate.assertion.algorithm", "is '" + algorithm + "'",
					"use EdDSA (default) or ES256");
		}
		keys = (keys != null) ? List.copyOf(keys) : List.of();
	}

	/** The configured algorithm. */
	public SigningAlgorithm signingAlgorithm() {
		return SigningAlgorithm.fromId(this.algorithm);
	}

	/**
	 * The cache of minted assertions, one per access token and audience.
	 *
	 * @param maxSize Most assertions remembered; at least 1
	 */
	public record Cache(@DefaultValue("100000") long maxSize) {

		public Cache {
			if (maxSize < 1) {
				throw new TollgateConfigurationException("tollgate.assertion.cache.max-size", "is " + maxSize,
						"use a positive number, e.g. 100000 (signing an assertion per request would cost far more)");
			}
		}

	}

}
