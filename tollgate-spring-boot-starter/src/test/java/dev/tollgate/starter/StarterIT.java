package dev.tollgate.starter;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain gateway application with the starter as its one Tollgate dependency and YAML
 * only, Spring Security on the classpath: the README's walk-through, every form of
 * {@code RequireRoles}, CORS through the gateway's own {@code globalcors}, and the
 * start-up line.
 */
@SpringBootTest(classes = PlainGatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class StarterIT {

	static final WireMockServer backends = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	static final String ORIGIN = "https://app.example.com";

	static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@Autowired
	WebTestClient client;

	@Autowired
	AccessTokenIssuer issuer;

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

	@BeforeEach
	void stubs() {
		backends.resetAll();
		backends.stubFor(post(urlEqualTo("/login")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("Access-Control-Allow-Origin", "https://evil.example")
			.withBody("{\"userId\":\"u-7\",\"roles\":[\"ops\"]}")));
		backends.stubFor(any(urlPathMatching("/(api|catalog|admin|reports|audit|auth)/.*"))
			.willReturn(aResponse().withStatus(200).withBody("ok")));
	}

	private Map<String, Object> login() {
		return this.client.post()
			.uri("/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", "ada", "password", "pw"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

	private String token(String... roles) {
		return this.issuer.issue("u-1", List.of(roles), "s-1").value();
	}

	@Test
	void walkThroughWhenOnlyTheStarterAndSpringSecurityThenLoginCallRefresh() {
		Map<String, Object> tokens = login();
		this.client.get()
			.uri("/api/orders")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("accessToken"))
			.exchange()
			.expectStatus()
			.isOk();
		backends.verify(getRequestedFor(urlEqualTo("/api/orders")).withHeader("X-User-Id", equalTo("u-7"))
			.withHeader("X-User-Roles", equalTo("ops")));
		this.client.post()
			.uri("/auth/refresh")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshToken", tokens.get("refreshToken")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.accessToken")
			.isNotEmpty();
	}

	@Test
	void springSecurityWhenPresentThenNoBasicChallengeNoCsrfOnPublicRoutesAndEndpoints() {
		this.client.get()
			.uri("/catalog/items")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
		this.client.get()
			.uri("/.well-known/jwks.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.keys[0].kty")
			.isEqualTo("RSA");
		this.client.get()
			.uri("/api/orders")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tollgate\"");
	}

	@Test
	void requireRolesWhenShortcutListOrStringThenAnyOfTheRolesLetsThrough() {
		for (String path : List.of("/admin/x", "/reports/x", "/audit/x")) {
			this.client.get()
				.uri(path)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token("ops"))
				.exchange()
				.expectStatus()
				.isOk();
			this.client.get()
				.uri(path)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token("admin"))
				.exchange()
				.expectStatus()
				.isOk();
			this.client.get()
				.uri(path)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token("user"))
				.exchange()
				.expectStatus()
				.isForbidden();
		}
	}

	@Test
	void corsWhenAllowedOriginThenLoginRefreshAndErrorsReadable() {
		this.client.post()
			.uri("/auth/login")
			.header(HttpHeaders.ORIGIN, ORIGIN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", "ada", "password", "pw"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN)
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
		this.client.post()
			.uri("/auth/refresh")
			.header(HttpHeaders.ORIGIN, ORIGIN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshToken", "unknown"))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN);
		this.client.get()
			.uri("/api/orders")
			.header(HttpHeaders.ORIGIN, ORIGIN)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN);
		this.client.get()
			.uri("/api/orders")
			.header(HttpHeaders.ORIGIN, "https://evil.example")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token("user"))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void corsWhenPreflightThenAnsweredAtTheEdgeWithoutTokenAndNoUpstreamCalled() {
		for (String path : List.of("/auth/refresh", "/auth/logout", "/.well-known/jwks.json", "/auth/login",
				"/api/orders")) {
			this.client.options()
				.uri(path)
				.header(HttpHeaders.ORIGIN, ORIGIN)
				.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, HttpMethod.POST.name())
				.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN);
		}
		backends.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void startupWhenReadyThenOneSummaryLineAndOverlappingRouteNamed(CapturedOutput output) {
		assertThat(output.getOut()).containsOnlyOnce("Tollgate: algorithm=RS256, keys=[")
			.contains("store=memory, issuer=tollgate, audience=api, refresh=/auth/refresh, logout=/auth/logout, "
					+ "sessions=/auth/sessions, jwks=/.well-known/jwks.json")
			.contains("Route 'legacy-auth' (Path=/auth/**) also matches Tollgate's endpoint /auth/refresh");
	}

}
