package dev.tollgate.app;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tollgate.routes.observe.TollgateAuditEvent;
import dev.tollgate.token.autoconfigure.TokenProperties;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.SigningKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The operators' Actuator endpoint {@code tollgate} through the real gateway and Redis:
 * never anonymous, never for a plain user's token, a forged or an expired one; a refused
 * call changes nothing and names no session; an operator lists and ends a user's
 * sessions, audited with the operator; health and Prometheus stay open. Subclasses say
 * where Actuator is served: its own port, or the gateway's.
 */
@Import(OperatorSessionsITSupport.Events.class)
abstract class OperatorSessionsITSupport extends SessionITSupport {

	private static final String OPERATOR_ID = "op-7";

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
	Events events;

	@Autowired
	TokenProperties tokens;

	@Autowired
	SigningKeys keys;

	/** A client of the server that serves Actuator. */
	abstract WebTestClient management();

	/**
	 * The user whose sessions the operator looks at; one per class, as the classes share
	 * one Redis.
	 */
	private String carol() {
		return "u-carol-" + getClass().getSimpleName();
	}

	@BeforeEach
	void operatorAndTargetUsers() {
		userService("olga", OPERATOR_ID, "[\"user\",\"tollgate-operator\"]");
		userService("carol", carol(), "[\"user\"]");
	}

	/**
	 * The user service accepts {@code username} with password {@code pw}, as
	 * {@code userId} with {@code roles}.
	 */
	private static void userService(String username, String userId, String roles) {
		backend.stubFor(post(urlEqualTo("/login"))
			.withRequestBody(equalToJson("{\"username\":\"" + username + "\",\"password\":\"pw\"}"))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"userId\":\"" + userId + "\",\"roles\":" + roles + "}")));
	}

	@Test
	void operatorEndpointWhenNoAuthorizationThen401AndNothingChanges() {
		Map<String, Object> carol = login("carol");

		for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.DELETE)) {
			EntityExchangeResult<String> refused = call(method, sessionsPath(carol()), null).expectStatus()
				.isUnauthorized()
				.expectHeader()
				.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tollgate\"")
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody(String.class)
				.returnResult();
			assertThat(refused.getResponseBody()).contains("\"error\":\"invalid_token\"")
				.doesNotContain(SessionsIT.sessionId(carol));
		}

		assertStillAlive(carol);
	}

	@Test
	void operatorEndpointWhenTokenWithoutOperatorRoleThen403AndNothingChanges() {
		Map<String, Object> carol = login("carol");
		String plainUser = (String) login("bob").get("accessToken");

		for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.DELETE)) {
			EntityExchangeResult<String> refused = call(method, sessionsPath(carol()), plainUser).expectStatus()
				.isForbidden()
				.expectHeader()
				.valueEquals(HttpHeaders.WWW_AUTHENTICATE,
						"Bearer realm=\"tollgate\", error=\"insufficient_scope\", "
								+ "error_description=\"operator role required\"")
				.expectBody(String.class)
				.returnResult();
			assertThat(refused.getResponseBody()).contains("\"error\":\"insufficient_scope\"")
				.doesNotContain(SessionsIT.sessionId(carol));
		}

		assertStillAlive(carol);
	}

	@Test
	void operatorEndpointWhenForgedExpiredOrEndedOperatorTokenThen401AndNothingChanges() {
		Map<String, Object> carol = login("carol");
		Map<String, Object> olga = login("olga");
		String valid = (String) olga.get("accessToken");
		String forged = valid.substring(0, valid.length() - 10) + (valid.charAt(valid.length() - 10) == 'A' ? 'B' : 'A')
				+ valid.substring(valid.length() - 9);
		String expired = new AccessTokenIssuer(this.tokens.accessTokenSettings(), this.keys,
				Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC))
			.issue(OPERATOR_ID, List.of("tollgate-operator"), SessionsIT.sessionId(olga))
			.value();
		Map<String, Object> loggedOut = login("olga");
		logout(loggedOut.get("refreshToken")).expectStatus().isNoContent();

		for (String token : List.of(forged, expired, "not.a.token", (String) loggedOut.get("accessToken"))) {
			for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.DELETE)) {
				EntityExchangeResult<String> refused = call(method, sessionsPath(carol()), token).expectStatus()
					.isUnauthorized()
					.expectBody(String.class)
					.returnResult();
				assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
					.startsWith("Bearer realm=\"tollgate\", error=\"invalid_token\"");
				assertThat(refused.getResponseBody()).contains("\"error\":\"invalid_token\"")
					.doesNotContain(SessionsIT.sessionId(carol));
			}
		}

		assertStillAlive(carol);
	}

	@Test
	void operatorEndpointWhenRefusedThenTheSameAnswerWhetherTheUserHasSessionsOrNot() {
		login("carol");

		for (String userId : List.of(carol(), "u-nobody-" + System.nanoTime())) {
			call(HttpMethod.GET, sessionsPath(userId), null).expectStatus()
				.isUnauthorized()
				.expectBody()
				.jsonPath("$.detail")
				.isEqualTo("access token required");
			call(HttpMethod.GET, sessionsPath(userId), (String) login("bob").get("accessToken")).expectStatus()
				.isForbidden()
				.expectBody()
				.jsonPath("$.detail")
				.isEqualTo("operator role required");
		}
		// nor does another resource of the endpoint, or another spelling of its path,
		// answer without a token
		call(HttpMethod.GET, "/actuator/tollgate/other/" + carol(), null).expectStatus().isUnauthorized();
		management().get()
			.uri(URI.create(managementBaseUrl() + "/actuator/%74ollgate/sessions/" + carol()))
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void operatorEndpointWhenOperatorListsAndEndsSessionsThenAllEndAndBothAreAuditedWithTheOperator() {
		call(HttpMethod.DELETE, sessionsPath(carol()), operatorToken()).expectStatus().isNoContent();
		Map<String, Object> first = login("carol");
		Map<String, Object> second = login("carol");
		Map<String, Object> alice = login("alice");
		String operator = operatorToken();

		call(HttpMethod.GET, sessionsPath(carol()), operator).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.sessions.length()")
			.isEqualTo(2)
			.jsonPath("$.sessions[0].id")
			.isEqualTo(SessionsIT.sessionId(first))
			.jsonPath("$.sessions[1].id")
			.isEqualTo(SessionsIT.sessionId(second))
			.jsonPath("$.sessions[0].current")
			.doesNotExist();
		call(HttpMethod.DELETE, sessionsPath(carol()), operator).expectStatus().isNoContent();

		api(first).expectStatus().isUnauthorized();
		api(second).expectStatus().isUnauthorized();
		refresh(second.get("refreshToken")).expectStatus().isUnauthorized();
		api(alice).expectStatus().isOk();
		call(HttpMethod.GET, sessionsPath(carol()), operator).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.sessions.length()")
			.isEqualTo(0);
		// the operator's two listings, and one session_revoked per session ended, each
		// naming the operator
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(this.events.received).filteredOn((event) -> carol().equals(event.userId()))
				.extracting(TollgateAuditEvent::action, TollgateAuditEvent::actor, TollgateAuditEvent::sessionId,
						TollgateAuditEvent::reason)
				.containsSubsequence(tuple("sessions_listed", OPERATOR_ID, null, null),
						tuple("sessions_listed", OPERATOR_ID, null, null))
				.contains(tuple("session_revoked", OPERATOR_ID, SessionsIT.sessionId(first), "operator"),
						tuple("session_revoked", OPERATOR_ID, SessionsIT.sessionId(second), "operator"));
			assertThat(this.events.received).filteredOn((event) -> event.action().equals("sessions_listed")).hasSize(2);
		});
	}

	@Test
	void healthAndPrometheusWhenNoTokenThenStillOpen() {
		management().get().uri("/actuator/health").exchange().expectStatus().isOk();
		management().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		management().get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
		management().get().uri("/actuator/info").exchange().expectStatus().isOk();
	}

	abstract String managementBaseUrl();

	private String operatorToken() {
		return (String) login("olga").get("accessToken");
	}

	private static String sessionsPath(String userId) {
		return "/actuator/tollgate/sessions/" + userId;
	}

	private WebTestClient.ResponseSpec call(HttpMethod method, String path, String token) {
		WebTestClient.RequestBodySpec request = management().method(method).uri(path);
		if (token != null) {
			request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
		}
		return request.exchange();
	}

	WebTestClient.ResponseSpec api(Map<String, Object> tokens) {
		return this.client.get()
			.uri("/api/profile")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("accessToken"))
			.exchange();
	}

	/**
	 * Every session of carol's still works: its access token passes, its refresh token
	 * refreshes.
	 */
	private void assertStillAlive(Map<String, Object> session) {
		api(session).expectStatus().isOk();
		refreshOk(session.get("refreshToken"));
	}

}
