package dev.tollgate.routes.endpoint;

import java.time.Clock;
import java.time.Duration;

import dev.tollgate.token.jwt.AssertionIssuer;
import dev.tollgate.token.jwt.SigningAlgorithm;
import dev.tollgate.token.jwt.SigningKeys;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunctions;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

/**
 * The JWK Sets: the access-token keys and the assertion keys together, and the assertion
 * keys on their own.
 */
class JwksEndpointTests {

	private final AssertionIssuer assertions = new AssertionIssuer(SigningKeys.ephemeral(SigningAlgorithm.EdDSA),
			"tollgate", Duration.ofSeconds(60), Clock.systemUTC());

	private static WebTestClient client(JwksEndpoint endpoint) {
		return WebTestClient
			.bindToRouterFunction(RouterFunctions.route(GET("/.well-known/jwks.json"), endpoint::jwks)
				.andRoute(GET("/.well-known/tollgate-assertion-keys.json"), endpoint::assertionKeys))
			.build();
	}

	@Test
	void jwksWhenAsymmetricAccessTokensThenAccessAndAssertionKeysEachWithItsKidAndUse() {
		SigningKeys keys = SigningKeys.ephemeral(SigningAlgorithm.RS256);
		WebTestClient client = client(new JwksEndpoint(keys, this.assertions));

		client.get()
			.uri("/.well-known/jwks.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.cacheControl(org.springframework.http.CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
			.expectBody()
			.jsonPath("$.keys.length()")
			.isEqualTo(2)
			.jsonPath("$.keys[0].kid")
			.isEqualTo(keys.signingKeyId())
			.jsonPath("$.keys[0].alg")
			.isEqualTo("RS256")
			.jsonPath("$.keys[1].kid")
			.isEqualTo(this.assertions.keyIds().get(0))
			.jsonPath("$.keys[1].alg")
			.isEqualTo("EdDSA")
			.jsonPath("$.keys[1].use")
			.isEqualTo("sig")
			.jsonPath("$.keys[1].d")
			.doesNotExist();
		client.get()
			.uri("/.well-known/tollgate-assertion-keys.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.keys.length()")
			.isEqualTo(1)
			.jsonPath("$.keys[0].kid")
			.isEqualTo(this.assertions.keyIds().get(0));
	}

	@Test
	void jwksWhenHs256ThenTheJwkSet404AndTheAssertionKeysStillPublished() {
		WebTestClient client = client(new JwksEndpoint(SigningKeys.sharedSecret(new byte[32]), this.assertions));

		client.get().uri("/.well-known/jwks.json").exchange().expectStatus().isEqualTo(HttpStatus.NOT_FOUND);
		client.get()
			.uri("/.well-known/tollgate-assertion-keys.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.keys[0].alg")
			.isEqualTo("EdDSA");
	}

	@Test
	void jwksWhenAssertionsOffThenOnlyTheAccessTokenKeys() {
		WebTestClient client = client(new JwksEndpoint(SigningKeys.ephemeral(SigningAlgorithm.ES256)));

		client.get().uri("/.well-known/jwks.json").exchange().expectBody().jsonPath("$.keys.length()").isEqualTo(1);
		client.get()
			.uri("/.well-known/tollgate-assertion-keys.json")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

}
