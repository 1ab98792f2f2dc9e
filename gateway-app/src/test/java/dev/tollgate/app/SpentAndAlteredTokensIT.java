package dev.tollgate.app;

import java.time.Duration;
import java.util.Map;

import dev.tollgate.routes.observe.TollgateAuditEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refresh tokens through the real gateway and Redis that are not the client's current
 * one: a spent token presented at logout is reuse of its own session (never a way to end
 * the user's other sessions), and a token with one character changed is nobody's token
 * (it refreshes nothing and ends nothing).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		classes = { TollgateApplication.class, RefreshBindingIT.Events.class })
class SpentAndAlteredTokensIT extends SessionITSupport {

	@Autowired
	RefreshBindingIT.Events events;

	@Autowired
	MeterRegistry registry;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
	}

	@BeforeEach
	void forget() {
		this.events.received.clear();
	}

	@Test
	void logoutEverywhereWhenSpentTokenThenOnlyItsSessionEndsAuditedAsReuseAndTheOtherSessionGoesOn() {
		Map<String, Object> phone = login("alice");
		Map<String, Object> laptop = login("alice");
		Map<String, Object> rotated = refreshOk(phone.get("refreshToken"));
		double reusedBefore = reused();

		logoutEverywhere(phone.get("refreshToken")).expectStatus().isNoContent();

		refresh(rotated.get("refreshToken")).expectStatus().isUnauthorized();
		api(rotated).expectStatus().isUnauthorized();
		// the user's other session was not touched
		api(laptop).expectStatus().isOk();
		refreshOk(laptop.get("refreshToken"));
		awaitAction("refresh_token_reuse_detected");
		assertThat(actions()).doesNotContain("logout");
		assertThat(this.events.received).filteredOn((event) -> event.action().equals("refresh_token_reuse_detected"))
			.extracting(TollgateAuditEvent::sessionId, TollgateAuditEvent::userId)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(SessionsIT.sessionId(phone), "u-1001"));
		assertThat(reused() - reusedBefore).as("counted like a reuse at refresh").isEqualTo(1.0);
	}

	@Test
	void logoutWhenSpentTokenThenItsSessionEndsAuditedAsReuse() {
		Map<String, Object> phone = login("alice");
		Map<String, Object> rotated = refreshOk(phone.get("refreshToken"));

		logout(phone.get("refreshToken")).expectStatus().isNoContent();

		refresh(rotated.get("refreshToken")).expectStatus().isUnauthorized();
		awaitAction("refresh_token_reuse_detected");
		assertThat(actions()).doesNotContain("logout");
	}

	@Test
	void logoutEverywhereWhenCurrentTokenThenEverySessionEndsAuditedAsLogout() {
		Map<String, Object> phone = login("alice");
		Map<String, Object> laptop = login("alice");

		logoutEverywhere(phone.get("refreshToken")).expectStatus().isNoContent();

		refresh(laptop.get("refreshToken")).expectStatus().isUnauthorized();
		awaitAction("logout");
		assertThat(actions()).doesNotContain("refresh_token_reuse_detected");
	}

	@Test
	void refreshAndLogoutWhenOneCharacterOfTheTagChangedThen401And204AndTheOwnersSessionUntouched() {
		Map<String, Object> tokens = login("alice");
		String token = (String) tokens.get("refreshToken");
		String altered = token.substring(0, 90) + (token.charAt(90) == 'A' ? 'B' : 'A') + token.substring(91);

		refresh(altered).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_grant")
			.jsonPath("$.refreshToken")
			.doesNotExist();
		logoutEverywhere(altered).expectStatus().isNoContent();
		logout(altered).expectStatus().isNoContent();

		api(tokens).expectStatus().isOk();
		refreshOk(token);
		awaitAction("refresh_succeeded");
		assertThat(actions()).containsOnlyOnce("refresh_rejected")
			.doesNotContain("refresh_token_reuse_detected", "logout");
	}

	/**
	 * Audit events are published from the audit log's own thread, after the answer: waits
	 * for one.
	 */
	private void awaitAction(String action) {
		Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(actions()).contains(action));
	}

	private java.util.List<String> actions() {
		return this.events.received.stream().map(TollgateAuditEvent::action).toList();
	}

	private double reused() {
		var counter = this.registry.find("tollgate.refreshes").tag("outcome", "reused").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private WebTestClient.ResponseSpec logoutEverywhere(Object refreshToken) {
		return this.client.post()
			.uri("/auth/logout?scope=all")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshToken", refreshToken))
			.exchange();
	}

	private WebTestClient.ResponseSpec api(Map<String, Object> tokens) {
		return this.client.get()
			.uri("/api/profile")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("accessToken"))
			.exchange();
	}

}
