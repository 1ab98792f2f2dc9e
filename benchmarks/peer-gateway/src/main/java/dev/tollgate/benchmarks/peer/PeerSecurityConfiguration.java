package dev.tollgate.benchmarks.peer;

import java.util.Base64;
import java.util.List;
import java.util.Objects;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * The resource server as a performance-minded team would set it up for a gateway:
 * stateless (no security context saved in a {@code WebSession}), no CSRF (no cookies, no
 * browser forms), no request cache, no login form, basic auth or logout, no security
 * response headers (the upstream's answer is passed through, as Tollgate does).
 * {@code /public/**} is open; everything else needs a valid bearer token.
 */
@Configuration(proxyBeanMethods = false)
class PeerSecurityConfiguration {

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, PeerProperties peer) {
		JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
		authorities.setAuthoritiesClaimName("roles");
		authorities.setAuthorityPrefix("ROLE_");
		JwtAuthenticationConverter authentication = new JwtAuthenticationConverter();
		authentication.setJwtGrantedAuthoritiesConverter(authorities);
		return http.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.headers(ServerHttpSecurity.HeaderSpec::disable)
			.authorizeExchange(
					(exchanges) -> exchanges.pathMatchers(peer.publicPaths()).permitAll().anyExchange().authenticated())
			.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt
				.jwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(authentication))))
			.build();
	}

	/**
	 * One pinned algorithm; HS256 on the shared secret, RS256/ES256 on the Tollgate
	 * gateway's JWK Set (fetched once, then cached by key id); {@code typ}
	 * {@code at+jwt}, {@code iss}, {@code aud}, {@code exp}/{@code nbf}, and the claims
	 * Tollgate requires.
	 */
	@Bean
	ReactiveJwtDecoder jwtDecoder(PeerProperties peer) {
		NimbusReactiveJwtDecoder decoder = switch (peer.algorithm()) {
			case "HS256" -> NimbusReactiveJwtDecoder
				.withSecretKey(new SecretKeySpec(Base64.getDecoder().decode(peer.secret()), "HmacSHA256"))
				.macAlgorithm(MacAlgorithm.HS256)
				.build();
			case "RS256",
					"ES256" ->
				NimbusReactiveJwtDecoder.withJwkSetUri(peer.jwkSetUri())
					.jwsAlgorithm(SignatureAlgorithm.from(peer.algorithm()))
					.build();
			default -> throw new IllegalArgumentException(
					"peer.algorithm: " + peer.algorithm() + " (Spring Security has HS256, RS256, ES256; no EdDSA)");
		};
		decoder.setJwtValidator(validator(peer));
		return decoder;
	}

	private static OAuth2TokenValidator<Jwt> validator(PeerProperties peer) {
		return JwtValidators.createDefaultWithValidators(List.of(new JwtTypeValidator("at+jwt", "application/at+jwt"),
				new JwtIssuerValidator(peer.issuer()), new JwtAudienceValidator(peer.audience()),
				required(JwtClaimNames.EXP), required(JwtClaimNames.IAT), required(JwtClaimNames.SUB)));
	}

	private static OAuth2TokenValidator<Jwt> required(String claim) {
		return new JwtClaimValidator<Object>(claim, Objects::nonNull);
	}

}
