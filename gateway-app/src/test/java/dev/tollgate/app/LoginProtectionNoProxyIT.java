package dev.tollgate.app;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Login protection with no trusted proxy (the default): the client address is the TCP
 * peer, and a client that sends a different {@code X-Forwarded-For} with every guess is
 * still one address.
 */
class LoginProtectionNoProxyIT extends SessionITSupport {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
		registry.add("tollgate.login.protection.enabled", () -> "true");
	}

	@Test
	void loginWhenEachGuessClaimsAnotherForwardedForThenStillLockedAfterFive() {
		String user = "mallory-" + UUID.randomUUID();
		for (int i = 0; i < 5; i++) {
			assertThat(login(user, "198.51.100." + i)).isEqualTo(401);
		}

		assertThat(login(user, "198.51.100.200")).isEqualTo(429);
		assertThat(login(user, null)).isEqualTo(429);
		backend.verify(5,
				postRequestedFor(urlEqualTo("/login")).withRequestBody(matchingJsonPath("$.username", equalTo(user))));
	}

	private int login(String username, String forwardedFor) {
		return this.client.post().uri("/auth/login").contentType(MediaType.APPLICATION_JSON).headers((headers) -> {
			if (forwardedFor != null) {
				headers.set("X-Forwarded-For", forwardedFor);
				headers.set("X-Real-IP", forwardedFor);
			}
		})
			.bodyValue(Map.of("username", username, "password", "wrong"))
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getStatus()
			.value();
	}

}
