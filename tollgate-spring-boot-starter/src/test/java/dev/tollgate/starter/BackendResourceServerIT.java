package dev.tollgate.starter;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A backend that verifies Tollgate's tokens itself with Spring Security's resource
 * server, configured as the README shows, against the gateway's JWK Set: it accepts them;
 * the default decoder refuses {@code typ: at+jwt}.
 */
@SpringBootTest(classes = PlainGatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BackendResourceServerIT {

	static final WireMockServer backends = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	@Autowired
	AccessTokenIssuer issuer;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		if (!backends.isRunning()) {
			backends.start();
		}
		registry.add("user-service.uri", () -> "http://127.0.0.1:" + backends.port());
		registry.add("api.uri", () -> "http://127.0.0.1:" + backends.port());
	}

	@AfterAll
	static void stop() {
		backends.stop();
	}

	private String jwkSetUri() {
		return "http://127.0.0.1:" + this.port + "/.well-known/jwks.json";
	}

	/** The README's backend decoder, word for word but for the gateway's address. */
	private NimbusReactiveJwtDecoder readmeDecoder() {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwkSetUri())
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.build();
		decoder.setJwtValidator(JwtValidators
			.createDefaultWithValidators(List.of(new JwtTypeValidator("at+jwt"), new JwtIssuerValidator("tollgate"),
					new JwtClaimValidator<List<String>>("aud", (aud) -> aud != null && aud.contains("api")))));
		return decoder;
	}

	@Test
	void backendWhenConfiguredAsTheReadmeShowsThenAcceptsTollgateTokens() {
		String token = this.issuer.issue("u-42", List.of("user"), "s-1").value();
		Jwt jwt = readmeDecoder().decode(token).block(Duration.ofSeconds(10));
		assertThat(jwt.getSubject()).isEqualTo("u-42");
		assertThat(jwt.getClaimAsStringList("roles")).containsExactly("user");
		assertThat(jwt.getHeaders()).containsEntry("typ", "at+jwt");
	}

	@Test
	void backendWhenDefaultDecoderThenRefusesAtJwt() {
		String token = this.issuer.issue("u-42", List.of("user"), "s-1").value();
		NimbusReactiveJwtDecoder defaults = NimbusReactiveJwtDecoder.withJwkSetUri(jwkSetUri()).build();
		assertThatException().isThrownBy(() -> defaults.decode(token).block(Duration.ofSeconds(10)));
	}

	@Test
	void backendWhenTokenFromAnotherIssuerThenRefused() {
		String token = this.issuer.issue("u-42", List.of(), "s-1").value();
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwkSetUri())
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.build();
		decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(
				List.of(new JwtTypeValidator("at+jwt"), new JwtIssuerValidator("someone-else"))));
		assertThatException().isThrownBy(() -> decoder.decode(token).block(Duration.ofSeconds(10)));
	}

}
