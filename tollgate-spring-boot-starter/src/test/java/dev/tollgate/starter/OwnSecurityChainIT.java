package dev.tollgate.starter;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A gateway with a {@link SecurityWebFilterChain} of its own, written as the README
 * shows: Tollgate works.
 */
@SpringBootTest(classes = { PlainGatewayApplication.class, OwnSecurityChainIT.TeamSecurity.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class OwnSecurityChainIT {

	static final WireMockServer backends = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	/** The README's chain. */
	@TestConfiguration(proxyBeanMethods = false)
	static class TeamSecurity {

		@Bean
		SecurityWebFilterChain gatewaySecurity(ServerHttpSecurity http) {
			return http
				.authorizeExchange(
						(exchanges) -> exchanges.pathMatchers("/internal/**").denyAll().anyExchange().permitAll())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
				.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.build();
		}

	}

	@Autowired
	WebTestClient client;

	@Autowired
	AccessTokenIssuer issuer;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		if (!backends.isRunning()) {
			backends.start();
			backends.stubFor(post(urlEqualTo("/login")).willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"userId\":\"u-7\",\"roles\":[\"user\"]}")));
			backends.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200).withBody("ok")));
		}
		registry.add("user-service.uri", () -> "http://127.0.0.1:" + backends.port());
		registry.add("api.uri", () -> "http://127.0.0.1:" + backends.port());
	}

	@AfterAll
	static void stop() {
		backends.stop();
	}

	@Test
	void ownChainWhenWrittenAsTheReadmeShowsThenLoginRefreshAndGuardedRoutesWork() {
		String refreshToken = (String) this.client.post()
			.uri("/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", "ada", "password", "pw"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody()
			.get("refreshToken");
		this.client.post()
			.uri("/auth/refresh")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshToken", refreshToken))
			.exchange()
			.expectStatus()
			.isOk();
		this.client.get().uri("/api/x").exchange().expectStatus().isUnauthorized();
		this.client.get()
			.uri("/api/x")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + this.issuer.issue("u-1", List.of(), "s").value())
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void ownChainWhenItDeniesAPathThenItsOwnRuleStillApplies() {
		// Spring Security's own answer to an anonymous caller on a denied path, not
		// Tollgate's
		this.client.get()
			.uri("/internal/x")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Realm\"");
		backends.verify(0, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo("/internal/x")));
	}

}
