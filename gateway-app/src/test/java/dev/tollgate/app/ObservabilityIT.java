package dev.tollgate.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.routes.observe.LoginFailed;
import dev.tollgate.routes.observe.RefreshTokenReuseDetected;
import dev.tollgate.routes.observe.TollgateAuditEvent;
import dev.tollgate.token.autoconfigure.TokenProperties;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.SigningKeys;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator sees: known traffic, then a Prometheus scrape of the management port
 * with exact counts per outcome and reason, tags from closed lists only, the health
 * components, and one audit event per security event.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		classes = { TollgateApplication.class, ObservabilityIT.Events.class })
@AutoConfigureWebTestClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {

	static final WireMockServer backend = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	/** Collects every audit event the application publishes. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Events {

		final List<TollgateAuditEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void on(TollgateAuditEvent event) {
			this.received.add(event);
		}

	}

	@Autowired
	WebTestClient client;

	@Autowired
	AccessTokenIssuer issuer;

	@Autowired
	TokenProperties properties;

	@Autowired
	SigningKeys keys;

	@Autowired
	Events events;

	@LocalManagementPort
	int managementPort;

	@BeforeAll
	static void start() {
		backend.start();
		backend.stubFor(post(urlEqualTo("/login")).atPriority(9).willReturn(aResponse().withStatus(401)));
		backend.stubFor(
				post(urlEqualTo("/login")).withRequestBody(equalToJson("{\"username\":\"alice\",\"password\":\"pw\"}"))
					.willReturn(aResponse().withStatus(200)
						.withHeader("Content-Type", "application/json")
						.withBody("{\"userId\":\"u-1001\",\"roles\":[\"user\"]}")));
		backend.stubFor(any(urlPathMatching("/(api|public)/.*")).willReturn(aResponse().withStatus(200)));
	}

	@AfterAll
	static void stop() {
		backend.stop();
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		String uri = "http://127.0.0.1:" + backend.port();
		String routes = "spring.cloud.gateway.server.webflux.routes";
		registry.add("tollgate.store", () -> "memory");
		registry.add(routes + "[0].id", () -> "login");
		registry.add(routes + "[0].uri", () -> uri);
		registry.add(routes + "[0].predicates[0]", () -> "Path=/auth/login");
		registry.add(routes + "[0].filters[0]", () -> "SetPath=/login");
		registry.add(routes + "[0].filters[1]", () -> "IssueTokens");
		registry.add(routes + "[1].id", () -> "public");
		registry.add(routes + "[1].uri", () -> uri);
		registry.add(routes + "[1].predicates[0]", () -> "Path=/public/**");
		registry.add(routes + "[1].metadata.auth", () -> "public");
		registry.add(routes + "[2].id", () -> "admin");
		registry.add(routes + "[2].uri", () -> uri);
		registry.add(routes + "[2].predicates[0]", () -> "Path=/api/admin/**");
		registry.add(routes + "[2].filters[0]", () -> "RequireRoles=admin");
		registry.add(routes + "[3].id", () -> "api");
		registry.add(routes + "[3].uri", () -> uri);
		registry.add(routes + "[3].predicates[0]", () -> "Path=/api/**");
	}

	private WebTestClient.ResponseSpec get(String path, String token) {
		WebTestClient.RequestHeadersSpec<?> request = this.client.get().uri(path);
		if (token != null) {
			request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
		}
		return request.exchange();
	}

	private WebTestClient.ResponseSpec send(String path, Object body) {
		return this.client.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	private Map<String, Object> login(String username) {
		return send("/auth/login", Map.of("username", username, "password", "pw"))
			.expectBody(SessionITSupport.TOKEN_RESPONSE)
			.returnResult()
			.getResponseBody();
	}

	/** The scrape as the Prometheus text the management port serves. */
	private String scrapeText() {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	/** The scrape, as series (name and labels without {@code application}) to value. */
	private Map<String, Double> scrape() {
		String text = scrapeText();
		Map<String, Double> series = new TreeMap<>();
		Pattern line = Pattern.compile("^(tollgate_[a-z_]+)\\{([^}]*)} ([0-9.Ee+-]+)$");
		for (String row : text.split("\n")) {
			Matcher matcher = line.matcher(row);
			if (matcher.matches()) {
				series.put(matcher.group(1) + "{"
						+ matcher.group(2).replaceAll("application=\"tollgate\",?", "").replaceAll(",$", "") + "}",
						Double.parseDouble(matcher.group(3)));
			}
		}
		return series;
	}

	@Test
	@Order(1)
	void scrapeWhenKnownTrafficThenExactCountsByOutcomeAndReason() {
		String user = this.issuer.issue("u-1", List.of("user"), "s-1").value();
		AccessTokenIssuer past = new AccessTokenIssuer(this.properties.accessTokenSettings(), this.keys,
				Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC));
		String expired = past.issue("u-1", List.of("user"), "s-1").value();
		String tampered = user.substring(0, user.length() - 10) + (user.charAt(user.length() - 10) == 'A' ? 'B' : 'A')
				+ user.substring(user.length() - 9);
		get("/api/orders", user).expectStatus().isOk();
		get("/api/orders", user).expectStatus().isOk();
		get("/api/orders", null).expectStatus().isUnauthorized();
		get("/api/orders", expired).expectStatus().isUnauthorized();
		get("/api/orders", tampered).expectStatus().isUnauthorized();
		get("/public/catalog", null).expectStatus().isOk();
		get("/api/admin/users", user).expectStatus().isForbidden();
		get("/api/admin/users", this.issuer.issue("u-2", List.of("admin"), "s-2").value()).expectStatus().isOk();
		Map<String, Object> tokens = login("alice");
		send("/auth/login", Map.of("username", "mallory", "password", "guess")).expectStatus().isUnauthorized();
		Map<String, Object> rotated = send("/auth/refresh", Map.of("refreshToken", tokens.get("refreshToken")))
			.expectBody(SessionITSupport.TOKEN_RESPONSE)
			.returnResult()
			.getResponseBody();
		send("/auth/refresh", Map.of("refreshToken", tokens.get("refreshToken"))).expectStatus().isUnauthorized();
		send("/auth/refresh", Map.of("refreshToken", rotated.get("refreshToken"))).expectStatus().isUnauthorized();
		send("/auth/refresh", "{not json").expectStatus().isBadRequest();
		send("/auth/logout", Map.of("refreshToken", login("alice").get("refreshToken"))).expectStatus().isNoContent();
		send("/auth/logout", Map.of("refreshToken", "unknown")).expectStatus().isNoContent();

		Map<String, Double> series = scrape();
		Map<String, Double> expected = new HashMap<>();
		expected.put("tollgate_access_checks_total{outcome=\"accepted\",reason=\"none\",route=\"api\"}", 2.0);
		expected.put("tollgate_access_checks_total{outcome=\"rejected\",reason=\"missing\",route=\"api\"}", 1.0);
		expected.put("tollgate_access_checks_total{outcome=\"rejected\",reason=\"expired\",route=\"api\"}", 1.0);
		expected.put("tollgate_access_checks_total{outcome=\"rejected\",reason=\"bad_signature\",route=\"api\"}", 1.0);
		expected.put("tollgate_access_checks_total{outcome=\"anonymous\",reason=\"missing\",route=\"public\"}", 1.0);
		expected.put("tollgate_access_checks_total{outcome=\"accepted\",reason=\"none\",route=\"admin\"}", 2.0);
		expected.put("tollgate_role_checks_total{outcome=\"denied\",route=\"admin\"}", 1.0);
		expected.put("tollgate_role_checks_total{outcome=\"granted\",route=\"admin\"}", 1.0);
		expected.put("tollgate_logins_total{outcome=\"success\"}", 2.0);
		expected.put("tollgate_logins_total{outcome=\"invalid_credentials\"}", 1.0);
		expected.put("tollgate_logins_total{outcome=\"locked\"}", 0.0);
		expected.put("tollgate_refreshes_total{outcome=\"rotated\"}", 1.0);
		expected.put("tollgate_refreshes_total{outcome=\"reused\"}", 1.0);
		expected.put("tollgate_refreshes_total{outcome=\"invalid\"}", 1.0);
		expected.put("tollgate_refreshes_total{outcome=\"malformed\"}", 1.0);
		expected.put("tollgate_logouts_total{outcome=\"revoked\",scope=\"session\"}", 1.0);
		expected.put("tollgate_logouts_total{outcome=\"unknown\",scope=\"session\"}", 1.0);
		expected.put("tollgate_access_check_seconds_count{outcome=\"accepted\"}", 4.0);
		expected.put("tollgate_access_check_seconds_count{outcome=\"rejected\"}", 3.0);
		expected.put("tollgate_access_check_seconds_count{outcome=\"anonymous\"}", 1.0);
		expected.put("tollgate_store_operations_seconds_count{operation=\"rotate\",outcome=\"success\"}", 3.0);
		expected.put("tollgate_store_operations_seconds_count{operation=\"create\",outcome=\"success\"}", 2.0);
		assertThat(series).containsAllEntriesOf(expected);
		// the login route carries IssueTokens: there is no access check to count
		assertThat(series.keySet()).noneMatch((key) -> key.contains("route=\"login\""));
		assertThat(series.keySet()).anyMatch((key) -> key.startsWith("tollgate_access_check_seconds_bucket{"));
		// the reuse and the logout each ended a session, which this instance now holds
		// until its tokens expire
		assertThat(series.entrySet()).anySatisfy((entry) -> {
			assertThat(entry.getKey()).startsWith("tollgate_sessions_revoked");
			assertThat(entry.getValue()).isGreaterThanOrEqualTo(2.0);
		});
	}

	@Test
	@Order(2)
	void scrapeWhenInspectedThenEveryTagValueFromAClosedListOrARouteId() {
		Pattern label = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");
		Map<String, List<String>> closed = Map.of("outcome",
				List.of("accepted", "rejected", "anonymous", "granted", "denied", "success", "invalid_credentials",
						"rejected", "locked", "upstream_error", "timeout", "unavailable", "rotated", "retried",
						"reused", "invalid", "malformed", "binding_mismatch", "revoked", "unknown", "error",
						"dpop_proof_required", "dpop_proof_invalid", "dpop_replay", "dpop_nonce", "dpop_key_mismatch"),
				"reason",
				List.of("none", "missing", "malformed", "expired", "not_yet_valid", "bad_signature", "unknown_key",
						"wrong_issuer", "wrong_audience", "wrong_type", "algorithm", "forbidden_header",
						"invalid_claims", "revoked", "dpop_proof_missing", "dpop_proof_invalid", "dpop_replay",
						"dpop_key_mismatch", "dpop_nonce", "dpop_bearer_downgrade", "dpop_required"),
				"route", List.of("login", "public", "admin", "api", "none"), "scope", List.of("session", "all"),
				"operation", List.of("create", "rotate", "revoke", "end", "index", "sessions", "ping",
						"load_revocations", "mark", "wait", "dpop_replay"),
				"le", List.of());
		for (String key : scrape().keySet()) {
			Matcher matcher = label.matcher(key);
			while (matcher.find()) {
				String name = matcher.group(1);
				assertThat(closed).as(key).containsKey(name);
				if (!name.equals("le")) {
					assertThat(closed.get(name)).as(key).contains(matcher.group(2));
				}
			}
		}
	}

	@Test
	@Order(3)
	void auditWhenLoginsAndRefreshesThenOneEventEachWithUserSessionAndAddress() {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.events.received.size() >= 8);
		assertThat(this.events.received).extracting(TollgateAuditEvent::action)
			.contains("login_succeeded", "login_failed", "refresh_succeeded", "refresh_token_reuse_detected",
					"refresh_rejected", "logout");
		TollgateAuditEvent failed = this.events.received.stream()
			.filter((event) -> event instanceof LoginFailed)
			.findFirst()
			.orElseThrow();
		assertThat(failed.username()).isEqualTo("mallory");
		assertThat(failed.clientIp()).isEqualTo("127.0.0.1");
		assertThat(failed.reason()).isEqualTo("invalid_credentials");
		TollgateAuditEvent reuse = this.events.received.stream()
			.filter((event) -> event instanceof RefreshTokenReuseDetected)
			.findFirst()
			.orElseThrow();
		assertThat(reuse.userId()).isEqualTo("u-1001");
		assertThat(reuse.sessionId()).isNotBlank();
	}

	@Test
	@Order(4)
	void healthWhenQueriedThenKeysAndStoreComponentsWithoutKeyMaterialAndProbeGroups() {
		WebTestClient management = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build();
		String health = management.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.tollgate.details.algorithm")
			.isEqualTo("RS256")
			.jsonPath("$.components.tollgate.details.keyIds[0]")
			.isEqualTo(this.keys.signingKeyId())
			.jsonPath("$.components.tollgateStore.status")
			.isEqualTo("UP")
			.returnResult()
			.getResponseBody()
			.toString();
		assertThat(new String(
				management.get().uri("/actuator/health").exchange().expectBody().returnResult().getResponseBody()))
			.doesNotContain("PRIVATE")
			.doesNotContain("\"d\"")
			.doesNotContain("\"n\"");
		assertThat(health).isNotEmpty();
		management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		management.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.tollgateStore")
			.doesNotExist();
		management.get().uri("/actuator/info").exchange().expectStatus().isOk();
	}

	@Test
	@Order(5)
	void dashboardAndAlertsWhenTheirQueriesAreReadThenEverySeriesTheyNameIsScraped() throws IOException {
		Path grafana = Path.of("..", "docs", "grafana");
		String queries = Files.readString(grafana.resolve("tollgate-dashboard.json"))
				+ Files.readString(grafana.resolve("alerts.yml"));
		Set<String> named = new TreeSet<>();
		Matcher series = Pattern.compile("\\b((?:tollgate|jvm|process|system)_[a-z_]+)\\b").matcher(queries);
		while (series.find()) {
			named.add(series.group(1));
		}
		assertThat(named).contains("tollgate_access_checks_total", "tollgate_refreshes_total",
				"tollgate_access_check_seconds_bucket", "tollgate_store_operations_seconds_bucket");
		// jvm_gc_pause_* exist once the JVM has collected at least once, which a short
		// test run may not have done
		System.gc();
		Awaitility.await("a GC pause recorded")
			.atMost(Duration.ofSeconds(10))
			.until(() -> scrapeText().contains("jvm_gc_pause_seconds_count"));
		Set<String> scraped = new TreeSet<>();
		Matcher line = Pattern.compile("(?m)^([a-z_]+)[{ ]").matcher(scrapeText());
		while (line.find()) {
			scraped.add(line.group(1));
		}
		assertThat(scraped).containsAll(named);
	}

	@Test
	@Order(6)
	void actuatorWhenAskedOnTheGatewayPortThenNotARouteAndNoUpstreamCalled() {
		backend.resetRequests();
		get("/actuator/health", null).expectStatus().isNotFound();
		get("/actuator/prometheus", null).expectStatus().isNotFound();
		backend.verify(0, anyRequestedFor(anyUrl()));
	}

}
