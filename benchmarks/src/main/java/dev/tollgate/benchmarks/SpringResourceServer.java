package dev.tollgate.benchmarks;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Objects;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import reactor.core.publisher.Flux;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;

/**
 * Spring Security's resource-server JWT decoders, set up as strictly as they go for
 * Tollgate's tokens: one pinned algorithm, {@code typ} {@code at+jwt}, {@code iss},
 * {@code aud}, {@code exp}/{@code nbf} with the default 60 s leeway, and {@code exp},
 * {@code iat}, {@code sub}, {@code jti} required (the RFC 9068 set that
 * {@code JwtValidators.createAtJwtValidator()} would check, less {@code client_id}, which
 * Tollgate's tokens do not carry).
 */
final class SpringResourceServer {

	private SpringResourceServer() {
	}

	/**
	 * The claim and header checks of a resource server for {@link TollgateTokens}'
	 * tokens.
	 */
	static OAuth2TokenValidator<Jwt> validator() {
		return JwtValidators.createDefaultWithValidators(List.of(new JwtTypeValidator("at+jwt", "application/at+jwt"),
				new JwtIssuerValidator(TollgateTokens.ISSUER), new JwtAudienceValidator(TollgateTokens.AUDIENCE),
				required(JwtClaimNames.EXP), required(JwtClaimNames.IAT), required(JwtClaimNames.SUB),
				required(JwtClaimNames.JTI)));
	}

	/**
	 * {@code spring.security.oauth2.resourceserver.jwt.public-key-location}: one RSA key,
	 * no {@code kid} match.
	 */
	static NimbusReactiveJwtDecoder rsaPublicKey(RSAPublicKey key) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey(key)
			.signatureAlgorithm(SignatureAlgorithm.RS256)
			.build();
		decoder.setJwtValidator(validator());
		return decoder;
	}

	/** The servlet decoder on the same key, for reference: no Reactor in the path. */
	static NimbusJwtDecoder rsaPublicKeyServlet(RSAPublicKey key) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key)
			.signatureAlgorithm(SignatureAlgorithm.RS256)
			.build();
		decoder.setJwtValidator(validator());
		return decoder;
	}

	/**
	 * A JWK Set already in memory, chosen by {@code kid} and {@code alg}: the path of a
	 * {@code jwk-set-uri} resource server once its key cache is warm, without the HTTP
	 * fetch.
	 */
	static NimbusReactiveJwtDecoder jwkSet(JWK jwk, SignatureAlgorithm algorithm) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource((jwt) -> Flux.just(jwk))
			.jwsAlgorithm(algorithm)
			.build();
		decoder.setJwtValidator(validator());
		return decoder;
	}

	static JWK ecJwk(ECPublicKey key) {
		return new ECKey.Builder(Curve.P_256, key).keyID(TollgateTokens.KEY_ID).build();
	}

	private static OAuth2TokenValidator<Jwt> required(String claim) {
		return new JwtClaimValidator<Object>(claim, Objects::nonNull);
	}

}
