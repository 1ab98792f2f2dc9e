package dev.tollgate.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user with valid credentials logging in over and over past
 * {@code max-sessions-per-user}: every login ends the user's oldest session, so ended
 * sessions pile up within one access-token lifetime. None of them is ever forgotten while
 * its access tokens can still be valid (a bounded set that dropped the soonest-expiring
 * entry let the first session's token pass again once more sessions had ended than it
 * held).
 */
class RevocationFloodIT extends SessionITSupport {

	private static final int LOGINS = 1_200;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
		registry.add("tollgate.refresh-token.max-sessions-per-user", () -> "1");
	}

	@Test
	void loginWhenRepeatedPastTheSessionLimitThenEveryEndedSessionsAccessTokenStaysRefused() {
		List<String> accessTokens = new ArrayList<>();
		for (int i = 0; i < LOGINS; i++) {
			Map<String, Object> tokens = login("bob");
			accessTokens.add((String) tokens.get("accessToken"));
		}

		String latest = accessTokens.remove(accessTokens.size() - 1);
		assertThat(api(latest).getStatus().value()).isEqualTo(200);
		// the oldest first: a bounded set drops the revocation that expires soonest
		for (int i = 0; i < accessTokens.size(); i += 97) {
			EntityExchangeResult<String> refused = api(accessTokens.get(i));
			assertThat(refused.getStatus().value()).as("session %d of %d", i, LOGINS).isEqualTo(401);
			assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).contains("session revoked");
		}
		assertThat(api(accessTokens.get(accessTokens.size() - 1)).getStatus().value()).isEqualTo(401);
	}

	private EntityExchangeResult<String> api(String accessToken) {
		return this.client.get()
			.uri("/api/orders")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

}
