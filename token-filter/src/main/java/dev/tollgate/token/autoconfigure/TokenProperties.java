package dev.tollgate.token.autoconfigure;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.tollgate.token.jwt.AccessTokenSettings;
import dev.tollgate.token.jwt.SigningAlgorithm;
import dev.tollgate.token.jwt.SigningKeys;
import dev.tollgate.token.jwt.ValidatedTokenCacheSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * Access-token settings under {@code tollgate}. Validated when bound: a value that cannot
 * work stops start-up with a {@link TollgateConfigurationException} naming the key.
 *
 * @param enabled Whether Tollgate is on; false turns every Tollgate bean off and routes
 * are plain gateway routes
 * @param issuer The iss claim written into access tokens and required from them
 * @param audience The aud claim written into access tokens and required from them
 * @param accessToken Lifetime and clock leeway of access tokens
 * @param signing Algorithm and keys that sign and verify access tokens
 * @param clientAddress How the client's address is found behind proxies
 * @param http Deadlines on reading requests at the edge
 */
@ConfigurationProperties("tollgate")
public record TokenProperties(@DefaultValue("true") boolean enabled, @DefaultValue("tollgate") String issuer,
		@DefaultValue("api") String audience, @DefaultValue AccessToken accessToken, @DefaultValue Signing signing,
		@DefaultValue ClientAddress clientAddress, @DefaultValue Http http) {

	public TokenProperties {
		TollgateConfigurationException.requireText("tollgate.issuer", issuer);
		TollgateConfigurationException.requireText("tollgate.audience", audience);
	}

	/** What the access-token issuer and verifier take of these settings. */
	public AccessTokenSettings accessTokenSettings() {
		return new AccessTokenSettings(this.issuer, this.audience, this.accessToken.ttl(),
				this.accessToken.clockSkew());
	}

	/** What the verifier's validated-token cache takes of these settings. */
	public ValidatedTokenCacheSettings validatedTokenCacheSettings() {
		return new ValidatedTokenCacheSettings(this.accessToken.cache().maxSize());
	}

	/**
	 * Access-token lifetime settings.
	 *
	 * @param ttl Lifetime of an access token
	 * @param clockSkew Leeway allowed on exp, nbf and iat for clocks that differ
	 * @param cache The validated-token cache
	 */
	public record AccessToken(@DefaultValue("15m") Duration ttl, @DefaultValue("30s") Duration clockSkew,
			@DefaultValue Cache cache) {

		public AccessToken {
			TollgateConfigurationException.requirePositive("tollgate.access-token.ttl", ttl);
			if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
				throw new TollgateConfigurationException("tollgate.access-token.clock-skew",
						"is " + clockSkew + ", outside 0s..5m", "set a small leeway such as 30s");
			}
		}

	}

	/**
	 * The validated-token cache: a token seen again (clients reuse one for its whole
	 * lifetime) is accepted without parsing or verifying its signature again, until its
	 * {@code exp}.
	 *
	 * @param maxSize Most tokens remembered; about 1.5 KB of heap each; 0 disables the
	 * cache
	 */
	public record Cache(@DefaultValue("100000") long maxSize) {

		public Cache {
			if (maxSize < 0) {
				throw new TollgateConfigurationException("tollgate.access-token.cache.max-size", "is " + maxSize,
						"use 0 (no cache) or a positive number of tokens, e.g. 100000");
			}
		}

	}

	/**
	 * Signing settings.
	 *
	 * @param algorithm JWS algorithm: HS256, RS256, ES256 or EdDSA
	 * @param secret HS256 only: the shared secret, base64, at least 256 bits (openssl
	 * rand -base64 32)
	 * @param keys Asymmetric algorithms only: PEM keys; key 0 signs, all of them verify
	 * @param ephemeralKeysAllowed With no key configured, whether the Redis store may run
	 * with a key generated at start-up; another instance could not verify its tokens, so
	 * only for a single instance
	 */
	public record Signing(@DefaultValue("RS256") String algorithm, String secret, List<Key> keys,
			@DefaultValue("false") boolean ephemeralKeysAllowed) {

		private static final Pattern WHITESPACE = Pattern.compile("\\s+");

		public Signing {
			if (SigningAlgorithm.fromId(algorithm) == null) {
				throw new TollgateConfigurationException("tollgate.signing.algorithm", "is '" + algorithm + "'",
						"use one of " + SigningAlgorithm.names());
			}
			keys = (keys != null) ? List.copyOf(keys) : List.of();
			if (secret != null) {
				checkSecret(secret);
			}
		}

		/** The configured algorithm. */
		public SigningAlgorithm signingAlgorithm() {
			return SigningAlgorithm.fromId(this.algorithm);
		}

		/** The decoded HS256 secret, or {@code null} when none is configured. */
		public byte[] secretBytes() {
			return (this.secret != null) ? decodeSecret(this.secret) : null;
		}

		/**
		 * Standard or URL-safe base64 (RFC 4648 §4, §5), line breaks allowed. Strict: the
		 * MIME decoder would skip every character outside its alphabet and silently turn
		 * a mistyped secret into a different, shorter key.
		 */
		private static byte[] decodeSecret(String secret) {
			String compact = WHITESPACE.matcher(secret).replaceAll("");
			boolean urlSafe = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0;
			return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact);
		}

		private static void checkSecret(String secret) {
			byte[] bytes;
			try {
				bytes = decodeSecret(secret);
			}
			catch (IllegalArgumentException ex) {
				throw new TollgateConfigurationException("tollgate.signing.secret", "is not valid base64",
						"generate one with 'openssl rand -base64 32'");
			}
			if (bytes.length < SigningKeys.MIN_SECRET_BYTES) {
				throw new TollgateConfigurationException("tollgate.signing.secret",
						"is " + bytes.length * 8 + " bits; HS256 needs at least 256",
						"generate one with 'openssl rand -base64 32'");
			}
		}

	}

	/**
	 * One asymmetric key.
	 *
	 * @param id The kid written into tokens (key 0) and matched when verifying; defaults
	 * to the key's RFC 7638 thumbprint
	 * @param privateKey PKCS#8 PEM private key (file:... or classpath:...); required for
	 * key 0
	 * @param publicKey X.509 PEM public key, for a retired key that only verifies and
	 * whose private part is gone
	 */
	public record Key(String id, Resource privateKey, Resource publicKey) {
	}

	/**
	 * Where the client's address comes from.
	 *
	 * @param trustedProxies Number of proxies in front of the gateway whose
	 * X-Forwarded-For (or Forwarded) entries are trusted: the client address is the entry
	 * this many hops from the right; 0 (default) uses the connection's peer, whatever
	 * Spring Boot's server.forward-headers-strategy is, and ignores every forwarding
	 * header, including X-Real-IP, which is then removed
	 * @param forwardedHeader Which header the trusted proxies write: auto (default:
	 * X-Forwarded-For when the request has one, else Forwarded), x-forwarded-for or
	 * forwarded; naming one ignores the other, which a client could send
	 */
	public record ClientAddress(@DefaultValue("0") int trustedProxies, @DefaultValue("auto") String forwardedHeader) {

		private static final List<String> FORWARDED_HEADERS = List.of("auto", "x-forwarded-for", "forwarded");

		public ClientAddress {
			if (trustedProxies < 0 || trustedProxies > 10) {
				throw new TollgateConfigurationException("tollgate.client-address.trusted-proxies",
						"is " + trustedProxies + ", outside 0..10",
						"set the number of proxies in front of the gateway (0 when clients connect directly)");
			}
			forwardedHeader = (forwardedHeader != null) ? forwardedHeader.strip().toLowerCase(Locale.ROOT) : "";
			if (!FORWARDED_HEADERS.contains(forwardedHeader)) {
				throw new TollgateConfigurationException("tollgate.client-address.forwarded-header",
						"is '" + forwardedHeader + "'",
						"use auto (default), x-forwarded-for or forwarded: the header your proxies write");
			}
		}

	}

	/**
	 * Deadlines on reading requests, against clients that hold connections open by
	 * sending slowly.
	 *
	 * @param headerTimeout Time a client has to send a complete request line and headers
	 * once it started; the connection is closed after it
	 * @param bodyTimeout Time a client has to send the body of a request to a Tollgate
	 * endpoint (login, refresh, logout); the connection is closed after it
	 */
	public record Http(@DefaultValue("10s") Duration headerTimeout, @DefaultValue("10s") Duration bodyTimeout) {

		public Http {
			TollgateConfigurationException.requirePositive("tollgate.http.header-timeout", headerTimeout);
			TollgateConfigurationException.requirePositive("tollgate.http.body-timeout", bodyTimeout);
		}

	}

}
