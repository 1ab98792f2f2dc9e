package dev.tollgate.app;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser app on another origin logging in through the README's login route
 * ({@code Path=/auth/login}, {@code Method=POST}) with the README's {@code globalcors}
 * block: its pre-flights are answered at the edge from that block, whatever the route's
 * other predicates, and never reach the user service.
 */
class LoginCorsIT extends SessionITSupport {

	static final String ORIGIN = "https://app.example.com";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
		String cors = "spring.cloud.gateway.server.webflux.globalcors.cors-configurations.[/**]";
		registry.add(cors + ".allowed-origins", () -> ORIGIN);
		registry.add(cors + ".allowed-methods[0]", () -> "GET");
		registry.add(cors + ".allowed-methods[1]", () -> "POST");
		registry.add(cors + ".allowed-methods[2]", () -> "DELETE");
		registry.add(cors + ".allowed-headers[0]", () -> "Authorization");
		registry.add(cors + ".allowed-headers[1]", () -> "Content-Type");
		registry.add(cors + ".allow-credentials", () -> "true");
	}

	@Test
	void preflightWhenLoginRouteAndAllowedOriginThenAnsweredFromGlobalCorsAndUserServiceNeverCalled() {
		// the same route shape through service discovery, and with a rate limiter
		for (String path : List.of("/auth/login", "/auth/lb-login", "/auth/limited-login")) {
			preflight(path, ORIGIN).expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN)
				.expectHeader()
				.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
				.expectHeader()
				.value(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, (methods) -> assertThat(methods).contains("POST"));
		}
		backend.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void preflightWhenLoginRouteAndOtherOriginThen403WithoutAllowOriginAndUserServiceNeverCalled() {
		preflight("/auth/login", "https://evil.example").expectStatus()
			.isForbidden()
			.expectHeader()
			.doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
		backend.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void loginWhenCrossOriginFromAllowedOriginThenTokenResponseCarriesCorsHeaders() {
		this.client.post()
			.uri("/auth/login")
			.header(HttpHeaders.ORIGIN, ORIGIN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", "alice", "password", "pw"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN)
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
			.expectBody()
			.jsonPath("$.accessToken")
			.isNotEmpty();
	}

	@Test
	void preflightWhenRefreshOrLogoutThenStillAnswered() {
		for (String path : List.of("/auth/refresh", "/auth/logout")) {
			preflight(path, ORIGIN).expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN)
				.expectHeader()
				.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
		}
		backend.verify(0, anyRequestedFor(anyUrl()));
	}

	private WebTestClient.ResponseSpec preflight(String path, String origin) {
		return this.client.options()
			.uri(path)
			.header(HttpHeaders.ORIGIN, origin)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, HttpMethod.POST.name())
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
			.exchange();
	}

}
