package dev.tollgate.app;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions through the real gateway and Redis: every way a session ends stops its access
 * tokens at once, users see and end their own sessions (the operators' endpoint:
 * {@link OperatorSessionsIT}).
 */
class SessionsIT extends SessionITSupport {

	private static final String REVOKED = "Bearer realm=\"tollgate\", error=\"invalid_token\", error_description=\"session revoked\"";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
		registry.add("management.server.port", () -> "0");
	}

	@Test
	void logoutThenTheSessionsAccessTokenRefusedAtOnceAndOtherSessionsWork() {
		Map<String, Object> phone = login("alice");
		Map<String, Object> laptop = login("alice");
		api(phone).expectStatus().isOk();

		logout(phone.get("refreshToken")).expectStatus().isNoContent();

		api(phone).expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, REVOKED)
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_token");
		api(laptop).expectStatus().isOk();
		backend.verify(1, getRequestedFor(urlEqualTo("/api/profile")).withHeader("Authorization",
				com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + phone.get("accessToken"))));
	}

	@Test
	void reuseDetectedThenBothTheThiefsAndTheVictimsAccessTokensRefused() {
		Map<String, Object> victim = login("alice");
		Map<String, Object> thief = refreshOk(victim.get("refreshToken"));
		api(thief).expectStatus().isOk();

		// the victim's client replays the rotated token: the session ends
		refresh(victim.get("refreshToken")).expectStatus().isUnauthorized();

		api(thief).expectStatus().isUnauthorized().expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, REVOKED);
		api(victim).expectStatus().isUnauthorized().expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, REVOKED);
	}

	@Test
	void sessionsWhenListedThenTheUsersLiveSessionsWithTheCurrentOneMarked() {
		Map<String, Object> first = login("alice");
		Map<String, Object> second = login("alice");
		login("bob");
		String firstId = sessionId(first);
		String secondId = sessionId(second);

		List<Map<String, Object>> sessions = listSessions(second);

		assertThat(sessions).extracting((session) -> session.get("id")).contains(firstId, secondId);
		assertThat(sessions).filteredOn((session) -> Boolean.TRUE.equals(session.get("current")))
			.extracting((session) -> session.get("id"))
			.containsExactly(secondId);
		Map<String, Object> entry = sessions.stream()
			.filter((s) -> firstId.equals(s.get("id")))
			.findFirst()
			.orElseThrow();
		assertThat(entry).containsOnlyKeys("id", "createdAt", "lastRefreshedAt", "expiresAt", "current");
		assertThat((String) entry.get("createdAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
		assertThat(java.time.Instant.parse((String) entry.get("expiresAt")))
			.isAfter(java.time.Instant.parse((String) entry.get("createdAt")));
	}

	@Test
	void deleteWhenOwnSessionThenEndedAndItsTokensRefused() {
		Map<String, Object> phone = login("alice");
		Map<String, Object> laptop = login("alice");

		this.client.delete()
			.uri("/auth/sessions/{id}", sessionId(phone))
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + laptop.get("accessToken"))
			.exchange()
			.expectStatus()
			.isNoContent();

		api(phone).expectStatus().isUnauthorized().expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, REVOKED);
		refresh(phone.get("refreshToken")).expectStatus().isUnauthorized();
		api(laptop).expectStatus().isOk();
		assertThat(listSessions(laptop)).extracting((session) -> session.get("id")).doesNotContain(sessionId(phone));
	}

	@Test
	void deleteWhenSomeoneElsesOrUnknownSessionThen404AndNothingEnds() {
		Map<String, Object> alice = login("alice");
		Map<String, Object> bob = login("bob");

		for (String id : List.of(sessionId(bob), "AAAAAAAAAAAAAAAAAAAAAA", "not-a-session")) {
			this.client.delete()
				.uri("/auth/sessions/{id}", id)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + alice.get("accessToken"))
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo(404);
		}
		api(bob).expectStatus().isOk();
		refreshOk(bob.get("refreshToken"));
	}

	@Test
	void sessionsWhenNoOrInvalidAccessTokenThen401() {
		this.client.get()
			.uri("/auth/sessions")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tollgate\"");
		this.client.delete()
			.uri("/auth/sessions/AAAAAAAAAAAAAAAAAAAAAA")
			.header(HttpHeaders.AUTHORIZATION, "Bearer not.a.token")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_token");
	}

	@Test
	void logoutScopeAllThenEverySessionOfTheUserEndsAndOtherUsersUntouched() {
		Map<String, Object> phone = login("alice");
		Map<String, Object> laptop = login("alice");
		Map<String, Object> bob = login("bob");

		this.client.post()
			.uri("/auth/logout?scope=all")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshToken", phone.get("refreshToken")))
			.exchange()
			.expectStatus()
			.isNoContent();

		api(phone).expectStatus().isUnauthorized();
		api(laptop).expectStatus().isUnauthorized();
		refresh(laptop.get("refreshToken")).expectStatus().isUnauthorized();
		api(bob).expectStatus().isOk();
	}

	@Test
	void logoutWhenScopeUnknownThen400AndNothingEnds() {
		Map<String, Object> tokens = login("alice");

		this.client.post()
			.uri("/auth/logout?scope=everything")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshToken", tokens.get("refreshToken")))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_request");

		api(tokens).expectStatus().isOk();
	}

	private WebTestClient.ResponseSpec api(Map<String, Object> tokens) {
		return this.client.get()
			.uri("/api/profile")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("accessToken"))
			.exchange();
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> listSessions(Map<String, Object> tokens) {
		Map<String, Object> body = this.client.get()
			.uri("/auth/sessions")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("accessToken"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.cacheControl(org.springframework.http.CacheControl.noStore())
			.expectBody(TOKEN_RESPONSE)
			.returnResult()
			.getResponseBody();
		assertThat(body).containsOnlyKeys("sessions");
		return (List<Map<String, Object>>) body.get("sessions");
	}

	/**
	 * The session of a token response: the family id that starts its refresh token, also
	 * its access token's sid.
	 */
	static String sessionId(Map<String, Object> tokens) {
		String refreshToken = (String) tokens.get("refreshToken");
		String sessionId = refreshToken.substring(0, refreshToken.indexOf('.'));
		String payload = new String(
				java.util.Base64.getUrlDecoder().decode(((String) tokens.get("accessToken")).split("\\.")[1]));
		assertThat(payload).contains("\"sid\":\"" + sessionId + "\"");
		return sessionId;
	}

}
