package dev.tollgate.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Login, refresh rotation with theft detection and logout, through the real gateway and a
 * real Redis.
 */
class LoginRefreshIT extends SessionITSupport {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
	}

	@Test
	void proxiedRequestsWhenRefreshCookieAmongOthersThenOnlyTheOthersLeaveTheEdge() {
		// out of cookie mode no refresh cookie is ever set, but a browser may still hold
		// one from a cookie-mode past
		String refresh = "__Secure-tollgate-refresh=" + login("alice").get("refreshToken");
		backend.resetRequests();
		assertThat(forwardedCookieLines("theme=dark; " + refresh + "; lang=\"en-GB\"")).hasSize(3)
			.allSatisfy((lines) -> assertThat(lines).containsExactly("theme=dark; lang=\"en-GB\""));
		backend.resetRequests();
		assertThat(forwardedCookieLines(refresh)).hasSize(3).allSatisfy((lines) -> assertThat(lines).isEmpty());
	}

	@Test
	void loginWhenUserServiceAcceptsThenTokenResponseOnly() {
		loginRequest("/auth/login", "alice", "pw").expectStatus()
			.isOk()
			.expectHeader()
			.cacheControl(org.springframework.http.CacheControl.noStore())
			.expectHeader()
			.doesNotExist(HttpHeaders.SET_COOKIE)
			.expectHeader()
			.doesNotExist("X-Internal")
			.expectBody()
			.jsonPath("$.tokenType")
			.isEqualTo("Bearer")
			.jsonPath("$.expiresIn")
			.isEqualTo(900)
			.jsonPath("$.refreshExpiresIn")
			.isEqualTo(604800)
			.jsonPath("$.accessToken")
			.isNotEmpty()
			.jsonPath("$.refreshToken")
			.isNotEmpty()
			.jsonPath("$.passwordHash")
			.doesNotExist()
			.jsonPath("$.userId")
			.doesNotExist();
	}

	@Test
	void fullFlowWhenRotatedTokenReplayedThenFamilyRevokedAndOtherFamiliesUntouched() {
		Map<String, Object> first = login("alice");
		Map<String, Object> other = login("bob");

		this.client.get()
			.uri("/api/profile")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + first.get("accessToken"))
			.exchange()
			.expectStatus()
			.isOk();
		backend.verify(getRequestedFor(urlEqualTo("/api/profile")).withHeader("X-User-Id", equalTo("u-1001"))
			.withHeader("X-User-Roles", equalTo("user")));

		Map<String, Object> second = refreshOk(first.get("refreshToken"));
		assertThat(second.get("refreshToken")).isNotEqualTo(first.get("refreshToken"));
		this.client.get()
			.uri("/api/profile")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + second.get("accessToken"))
			.exchange()
			.expectStatus()
			.isOk();

		refresh(first.get("refreshToken")).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_grant");
		refresh(second.get("refreshToken")).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_grant");

		refresh(other.get("refreshToken")).expectStatus().isOk();
	}

	@Test
	void refreshWhenSixtyFourConcurrentRequestsWithOneTokenThenExactlyOneSucceeds() {
		Map<String, Object> tokens = login("alice");
		WebClient web = WebClient.create("http://127.0.0.1:" + port());
		List<Integer> statuses = Flux.range(0, 64)
			.parallel(16)
			.runOn(Schedulers.parallel())
			.flatMap((i) -> web.post()
				.uri("/auth/refresh")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("refreshToken", tokens.get("refreshToken")))
				.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value())))
			.sequential()
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(statuses).hasSize(64);
		assertThat(statuses.stream().filter((s) -> s == 200).count()).isEqualTo(1);
		assertThat(statuses.stream().filter((s) -> s == 401).count()).isEqualTo(63);
	}

	@Test
	void logoutWhenCalledThenSessionEndsAndRepeatIsStill204() {
		Map<String, Object> tokens = login("alice");
		logout(tokens.get("refreshToken")).expectStatus().isNoContent();
		refresh(tokens.get("refreshToken")).expectStatus().isUnauthorized();
		logout(tokens.get("refreshToken")).expectStatus().isNoContent();
		logout("unknown-token").expectStatus().isNoContent();
	}

	@Test
	void redisWhenInspectedThenEveryKeyExpiresAndNoTokenIsStoredInClear() {
		Map<String, Object> first = login("alice");
		Map<String, Object> second = refreshOk(first.get("refreshToken"));
		String keys = redis.command("KEYS", "*");
		assertThat(keys).isNotBlank();
		StringBuilder dump = new StringBuilder();
		for (String key : keys.split("\n")) {
			long ttl = Long.parseLong(redis.command("PTTL", key).trim());
			// -2: the key expired between KEYS and PTTL (the rate limiter's live for a
			// second or two): it had a TTL
			assertThat(ttl).as("PTTL of %s", key).isNotEqualTo(-1L);
			if (ttl == -2) {
				continue;
			}
			String type = redis.command("TYPE", key).trim();
			dump.append(switch (type) {
				case "hash" -> redis.command("HGETALL", key);
				case "set" -> redis.command("SMEMBERS", key);
				case "zset" -> redis.command("ZRANGE", key, "0", "-1", "WITHSCORES");
				default -> redis.command("GET", key);
			});
		}
		for (Map<String, Object> tokens : List.of(first, second)) {
			String refreshToken = (String) tokens.get("refreshToken");
			String secret = refreshToken.substring(refreshToken.indexOf('.') + 1);
			assertThat(dump.toString()).doesNotContain(secret).doesNotContain((String) tokens.get("accessToken"));
		}
	}

	@Test
	void loginWhenRateLimitedRouteThenBurstAnswered429AndKeyedByClientAddress() {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			statuses.add(
					loginRequest("/auth/limited-login", "alice", "pw").expectBody().returnResult().getStatus().value());
		}
		assertThat(statuses.get(0)).isEqualTo(200);
		assertThat(statuses).contains(429).allSatisfy((status) -> assertThat(status).isIn(200, 429));
		assertThat(redis.command("KEYS", "request_rate_limiter*")).contains("{login-limited.addr:127.0.0.1}");
	}

	@Test
	void loginWhenRouteUsesLoadBalancerUriThenTokensIssued() {
		Map<String, Object> tokens = loginRequest("/auth/lb-login", "alice", "pw").expectStatus()
			.isOk()
			.expectBody(TOKEN_RESPONSE)
			.returnResult()
			.getResponseBody();
		refreshOk(tokens.get("refreshToken"));
	}

	@Test
	void loginWhenUserServiceRefusesThen401InvalidCredentials() {
		loginRequest("/auth/login", "mallory", "guess").expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType("application/problem+json")
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_credentials");
	}

	@Test
	void loginWhenUserServiceFailsOrLiesThen502() {
		List<String> answers = new ArrayList<>();
		backend.stubFor(post(urlEqualTo("/login"))
			.willReturn(aResponse().withStatus(500).withBody("java.lang.NullPointerException at Users.java:42")));
		answers.add(badGatewayBody("/auth/login"));
		backend.stubFor(
				post(urlEqualTo("/login")).willReturn(aResponse().withStatus(200).withBody("{\"roles\":[\"admin\"]}")));
		answers.add(badGatewayBody("/auth/login"));
		backend.stubFor(post(urlEqualTo("/login"))
			.willReturn(aResponse().withStatus(200).withBody("{\"userId\":\"u-1\",\"roles\":[\"a,b\"]}")));
		answers.add(badGatewayBody("/auth/login"));
		answers.add(badGatewayBody("/auth/down-login"));
		assertThat(answers).allSatisfy((body) -> assertThat(body).contains("\"error\":\"bad_gateway\"")
			.doesNotContain("NullPointer")
			.doesNotContain("Exception"));
	}

	private String badGatewayBody(String path) {
		return loginRequest(path, "alice", "pw").expectStatus()
			.isEqualTo(502)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	@Test
	void loginWhenUserServiceTooSlowThen504() {
		backend.stubFor(post(urlEqualTo("/slow-login"))
			.willReturn(aResponse().withFixedDelay(2000).withStatus(200).withBody("{\"userId\":\"u-1001\"}")));
		loginRequest("/auth/slow-login", "alice", "pw").expectStatus()
			.isEqualTo(504)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("gateway_timeout");
	}

	@Test
	void refreshWhenBodyMalformedThen400Or413AndNothingMinted() {
		for (String body : List.of("", "{", "[]", "{\"refreshToken\":42}", "{\"refreshToken\":\"\"}",
				"{\"refreshToken\":\"a\",\"refreshToken\":\"b\"}")) {
			this.client.post()
				.uri("/auth/refresh")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(body)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.error")
				.isEqualTo("invalid_request")
				.jsonPath("$.accessToken")
				.doesNotExist();
		}
		this.client.post()
			.uri("/auth/refresh")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"refreshToken\":\"" + "a".repeat(10_000) + "\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_request");
		this.client.post()
			.uri("/auth/refresh")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("{\"refreshToken\":\"x\"}")
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void refreshWhenTokenUnknownThen401InvalidGrant() {
		refresh("AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_grant");
		refresh("garbage").expectStatus().isUnauthorized();
	}

}
