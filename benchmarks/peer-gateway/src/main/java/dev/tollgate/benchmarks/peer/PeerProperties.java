package dev.tollgate.benchmarks.peer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the peer needs to check Tollgate's tokens.
 *
 * @param algorithm {@code HS256}, {@code RS256} or {@code ES256} (Spring Security has no
 * EdDSA)
 * @param secret the HS256 key, base64, as given to Tollgate's
 * {@code tollgate.signing.secret}
 * @param jwkSetUri the Tollgate gateway's JWK Set, for RS256 and ES256
 * @param issuer the required {@code iss}
 * @param audience the required {@code aud}
 * @param publicPaths path patterns that need no token
 */
@ConfigurationProperties("peer")
public record PeerProperties(@DefaultValue("RS256") String algorithm, String secret, String jwkSetUri,
		@DefaultValue("tollgate") String issuer, @DefaultValue("api") String audience,
		@DefaultValue("/public/**") String[] publicPaths) {
}
