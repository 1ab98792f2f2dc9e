package dev.tollgate.starter;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tollgate.enabled=false}: no Tollgate bean at all; routes are plain gateway
 * routes and the paths of Tollgate's endpoints go to whatever route matches. (Routes here
 * name no Tollgate filter: with Tollgate off, the gateway would refuse a route naming
 * IssueTokens or RequireRoles as an unknown filter.)
 */
@SpringBootTest(classes = PlainGatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "tollgate.enabled=false",
				// with Tollgate off, Spring Security on the classpath would secure
				// everything its own way; this test
				// is about the gateway, so it runs without Spring Security's
				// auto-configuration
				"spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration,"
						+ "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
				"spring.cloud.gateway.server.webflux.routes[0].id=everything",
				"spring.cloud.gateway.server.webflux.routes[0].uri=${api.uri}",
				"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/**" })
@AutoConfigureWebTestClient
class DisabledIT {

	static final WireMockServer backends = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	@Autowired
	WebTestClient client;

	@Autowired
	ApplicationContext context;

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		if (!backends.isRunning()) {
			backends.start();
			backends.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
		}
		registry.add("user-service.uri", () -> "http://127.0.0.1:" + backends.port());
		registry.add("api.uri", () -> "http://127.0.0.1:" + backends.port());
	}

	@AfterAll
	static void stop() {
		backends.stop();
	}

	@Test
	void enabledFalseWhenCallingAGuardedRouteWithoutTokenThenForwardedAsPlainRoute() {
		this.client.get().uri("/api/orders").header("X-User-Id", "as-sent").exchange().expectStatus().isOk();
		backends.verify(getRequestedFor(urlEqualTo("/api/orders")));
		assertThat(backends.getAllServeEvents().get(0).getRequest().getHeader("X-User-Id")).isEqualTo("as-sent");
	}

	@Test
	void enabledFalseWhenPostingToRefreshPathThenNoTollgateEndpointAndNoTollgateBean() {
		this.client.post().uri("/auth/refresh").exchange().expectStatus().isOk();
		backends.verify(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/auth/refresh")));
		assertThat(this.context.getBeanNamesForType(AccessTokenVerifier.class)).isEmpty();
		assertThat(this.context.getBeanDefinitionNames()).noneMatch((name) -> name.startsWith("tollgate"));
	}

}
