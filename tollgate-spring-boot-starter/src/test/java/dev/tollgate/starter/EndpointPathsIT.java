package dev.tollgate.starter;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A team whose own {@code Path=/auth/**} route must keep {@code /auth/refresh} and
 * {@code /auth/logout}: Tollgate's endpoints move with {@code tollgate.endpoints.*}.
 */
@SpringBootTest(classes = PlainGatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "tollgate.endpoints.refresh-path=/tokens/refresh",
				"tollgate.endpoints.logout-path=/tokens/logout", "tollgate.endpoints.jwks-path=/tokens/jwks.json",
				"tollgate.endpoints.sessions-path=/tokens/sessions" })
@AutoConfigureWebTestClient
class EndpointPathsIT {

	static final WireMockServer backends = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	@Autowired
	WebTestClient client;

	@Autowired
	AccessTokenIssuer issuer;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		if (!backends.isRunning()) {
			backends.start();
			backends.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("legacy")));
		}
		registry.add("user-service.uri", () -> "http://127.0.0.1:" + backends.port());
		registry.add("api.uri", () -> "http://127.0.0.1:" + backends.port());
	}

	@AfterAll
	static void stop() {
		backends.stop();
	}

	@Test
	void endpointsWhenMovedThenServedAtTheirNewPathsAndOldPathsReachTheTeamsRoute() {
		this.client.post()
			.uri("/tokens/refresh")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshToken", "unknown"))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_grant");
		this.client.get()
			.uri("/tokens/jwks.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.keys")
			.isArray();
		// the team's own route, guarded like any other
		this.client.post()
			.uri("/auth/refresh")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + this.issuer.issue("u-1", List.of(), "s").value())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("legacy");
		backends.verify(postRequestedFor(urlEqualTo("/auth/refresh")));
	}

}
