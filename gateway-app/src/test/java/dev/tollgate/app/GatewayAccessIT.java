package dev.tollgate.app;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real gateway on a random port in front of a WireMock upstream: what the upstream
 * does and does not receive.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class GatewayAccessIT {

	static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	@Autowired
	WebTestClient client;

	@Autowired
	AccessTokenIssuer issuer;

	@BeforeAll
	static void startUpstream() {
		upstream.start();
	}

	@AfterAll
	static void stopUpstream() {
		upstream.stop();
	}

	@DynamicPropertySource
	static void routes(DynamicPropertyRegistry registry) {
		String prefix = "spring.cloud.gateway.server.webflux.routes";
		String uri = "http://127.0.0.1:" + upstream.port();
		registry.add("tollgate.store", () -> "memory");
		registry.add(prefix + "[0].id", () -> "public");
		registry.add(prefix + "[0].uri", () -> uri);
		registry.add(prefix + "[0].predicates[0]", () -> "Path=/public/**");
		registry.add(prefix + "[0].metadata.auth", () -> "public");
		registry.add(prefix + "[1].id", () -> "admin");
		registry.add(prefix + "[1].uri", () -> uri);
		registry.add(prefix + "[1].predicates[0]", () -> "Path=/admin/**");
		registry.add(prefix + "[1].filters[0]", () -> "RequireRoles=admin,ops");
		registry.add(prefix + "[2].id", () -> "api");
		registry.add(prefix + "[2].uri", () -> uri);
		registry.add(prefix + "[2].predicates[0]", () -> "Path=/api/**");
	}

	@BeforeEach
	void resetUpstream() {
		upstream.resetAll();
		upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
	}

	String token(String... roles) {
		return this.issuer.issue("u-42", List.of(roles), "family-1").value();
	}

	@Test
	void requestWhenValidTokenThenUpstreamGetsIdentityHeadersAndNoSpoofedOnes() {
		this.client.get()
			.uri("/api/orders")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token("user", "ops"))
			.header("X-User-Id", "admin")
			.header("x-user-roles", "admin")
			.header("X_User_Id", "admin")
			.header("X-USER-Tenant", "other")
			.exchange()
			.expectStatus()
			.isOk();
		upstream.verify(1,
				getRequestedFor(urlEqualTo("/api/orders")).withHeader("X-User-Id", equalTo("u-42"))
					.withHeader("X-User-Roles", equalTo("user,ops"))
					.withHeader("X_User_Id", absent())
					.withHeader("X-USER-Tenant", absent()));
		assertThat(upstream.getAllServeEvents().get(0).getRequest().getHeaders().getHeader("X-User-Id").values())
			.containsExactly("u-42");
	}

	@Test
	void requestWhenNoTokenThen401WithRealmOnlyAndUpstreamUntouched() {
		this.client.get()
			.uri("/api/orders")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tollgate\"")
			.expectHeader()
			.contentType("application/problem+json")
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_token")
			.jsonPath("$.status")
			.isEqualTo(401);
		upstream.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void requestWhenTamperedTokenThen401InvalidTokenAndUpstreamUntouched() {
		String token = token("user");
		String[] parts = token.split("\\.");
		String tampered = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A")
				+ parts[2].substring(1);
		this.client.get()
			.uri("/api/orders")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tampered)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueMatches(HttpHeaders.WWW_AUTHENTICATE,
					"Bearer realm=\"tollgate\", error=\"invalid_token\", error_description=\"invalid signature\"")
			.expectBody(String.class)
			.value((body) -> assertThat(body).doesNotContain(tampered).doesNotContain("Exception"));
		upstream.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void requestWhenTwoAuthorizationHeadersThen400AndUpstreamUntouched() {
		this.client.get()
			.uri("/api/orders")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token("user"), "Bearer " + token("admin"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_request");
		upstream.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void requestWhenMalformedAuthorizationThen400NeverServerError() {
		for (String value : List.of("Bearer", "Bearer a b", "Bearer \u00e9t\u00e9", "Bearer ,,,")) {
			this.client.get()
				.uri("/api/orders")
				.header(HttpHeaders.AUTHORIZATION, value)
				.exchange()
				.expectStatus()
				.value((status) -> assertThat(status).as(value).isIn(400, 401));
		}
		upstream.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void requireRolesWhenTokenLacksRoleThen403InsufficientScopeAndUpstreamUntouched() {
		this.client.get()
			.uri("/admin/users")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token("user"))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tollgate\", error=\"insufficient_scope\".*")
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("insufficient_scope");
		upstream.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void requireRolesWhenTokenHasAnyRoleThenForwarded() {
		this.client.get()
			.uri("/admin/users")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token("ops"))
			.exchange()
			.expectStatus()
			.isOk();
		upstream.verify(1, getRequestedFor(urlEqualTo("/admin/users")).withHeader("X-User-Roles", equalTo("ops")));
	}

	@Test
	void publicRouteWhenNoTokenThenForwardedAnonymousWithoutSpoofedHeaders() {
		this.client.get()
			.uri("/public/catalog")
			.header("X-User-Id", "admin")
			.header("X_User_Roles", "admin")
			.exchange()
			.expectStatus()
			.isOk();
		upstream.verify(1,
				getRequestedFor(urlEqualTo("/public/catalog")).withHeader("X-User-Id", absent())
					.withHeader("X_User_Roles", absent())
					.withHeader("X-User-Roles", absent()));
	}

	@Test
	void publicRouteWhenInvalidTokenThenForwardedAnonymous() {
		this.client.get()
			.uri("/public/catalog")
			.header(HttpHeaders.AUTHORIZATION, "Bearer not.a.token")
			.exchange()
			.expectStatus()
			.isOk();
		upstream.verify(1, getRequestedFor(urlEqualTo("/public/catalog")).withHeader("X-User-Id", absent()));
	}

	@Test
	void publicRouteWhenValidTokenThenIdentityHonoured() {
		this.client.get()
			.uri("/public/catalog")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token("user"))
			.exchange()
			.expectStatus()
			.isOk();
		upstream.verify(1, getRequestedFor(urlEqualTo("/public/catalog")).withHeader("X-User-Id", equalTo("u-42")));
	}

	@Test
	void jwksWhenRs256ThenPublicKeysOnly() {
		this.client.get()
			.uri("/.well-known/jwks.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.keys[0].kty")
			.isEqualTo("RSA")
			.jsonPath("$.keys[0].kid")
			.exists()
			.jsonPath("$.keys[0].n")
			.exists()
			.jsonPath("$.keys[0].d")
			.doesNotExist()
			.jsonPath("$.keys[0].p")
			.doesNotExist();
	}

	@Test
	void unknownPathWhenNoRouteThen404AndUpstreamUntouched() {
		this.client.get().uri("/nowhere").exchange().expectStatus().isNotFound();
		upstream.verify(0, anyRequestedFor(anyUrl()));
	}

}
