package dev.tollgate.app;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import dev.tollgate.test.TestRedis;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tollgate.redis.wait-replicas: 1} with a real master and replica: a write the
 * replica did not acknowledge is never answered as a success, and no token leaves the
 * gateway with the 503; a client retrying the same refresh token within
 * {@code reuse-grace} once the replica is back gets the one successor that rotation made.
 */
class WaitReplicasIT extends SessionITSupport {

	/** The store's timeout is 1 s here, so a WAIT gives up after 500 ms. */
	static final Duration BOUND = Duration.ofSeconds(3);

	TestRedis replica;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
		registry.add("tollgate.redis.wait-replicas", () -> "1");
		registry.add("tollgate.redis.timeout", () -> "1s");
		registry.add("tollgate.refresh-token.reuse-grace", () -> "30s");
	}

	@BeforeEach
	void startReplica() {
		this.replica = TestRedis.startReplicaOf(redis);
	}

	@AfterEach
	void stopReplica() {
		this.replica.close();
	}

	@Test
	void refreshLoginLogoutWhenReplicaKilledThen503WithoutTokens() {
		Map<String, Object> tokens = refreshOk(login("alice").get("refreshToken"));
		this.replica.kill();

		Instant start = Instant.now();
		String refused = refresh(tokens.get("refreshToken")).expectStatus()
			.isEqualTo(503)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(Duration.between(start, Instant.now())).isLessThan(BOUND);
		assertThat(refused).contains("\"error\":\"temporarily_unavailable\"")
			.doesNotContain("refreshToken")
			.doesNotContain("accessToken")
			.doesNotContain((String) tokens.get("refreshToken"));

		String login = loginRequest("/auth/login", "alice", "pw").expectStatus()
			.isEqualTo(503)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(login).contains("temporarily_unavailable").doesNotContain("Token");

		logout(tokens.get("refreshToken")).expectStatus().isEqualTo(503).expectBody(String.class).returnResult();
	}

	@Test
	void refreshWhenRetriedWithinGraceAfterReplicaBackThenSameSuccessorAndOneRotation() {
		String first = (String) login("bob").get("refreshToken");
		String family = "tollgate:rt:{" + first.substring(0, first.indexOf('.')) + "}:family";
		this.replica.kill();

		refresh(first).expectStatus().isEqualTo(503).expectBody(String.class).returnResult();
		// the rotation happened on the master; only the replica's acknowledgement was
		// missing
		assertThat(redis.command("HGET", family, "gen")).isEqualTo("1");

		this.replica = TestRedis.startReplicaOf(redis);
		// right after its resync the master may not count the replica's acknowledgement
		// yet (seen: WAIT 0 of 1 for
		// the first retry, 200 half a second later): such a retry is answered 503 again
		// and changes nothing
		String successor = Awaitility.await("a retry within grace once the replica acknowledges")
			.atMost(BOUND)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> retriedSuccessor(first, family), Objects::nonNull);
		assertThat(refreshOk(first).get("refreshToken")).as("a second retry within grace").isEqualTo(successor);
		assertThat(redis.command("HGET", family, "gen")).as("one rotation in all").isEqualTo("1");
		assertThat(this.replica.command("HGET", family, "gen")).as("and the replica has it").isEqualTo("1");

		String next = (String) refreshOk(successor).get("refreshToken");
		// the first token is no longer the immediate predecessor of the current one:
		// reuse ends the session
		refresh(first).expectStatus().isUnauthorized().expectBody().jsonPath("$.error").isEqualTo("invalid_grant");
		refresh(next).expectStatus().isUnauthorized().expectBody(String.class).returnResult();
	}

	/**
	 * The successor a retry of {@code token} got, or {@code null} when it was answered
	 * 503 and nothing changed.
	 */
	private String retriedSuccessor(String token, String family) {
		EntityExchangeResult<Map<String, Object>> result = refresh(token).expectBody(TOKEN_RESPONSE).returnResult();
		int status = result.getStatus().value();
		assertThat(status).as("a retry while the replica catches up").isIn(200, 503);
		assertThat(redis.command("HGET", family, "gen")).as("still one rotation").isEqualTo("1");
		return (status == 200) ? (String) result.getResponseBody().get("refreshToken") : null;
	}

}
