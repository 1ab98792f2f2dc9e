package dev.tollgate.app;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis stopped mid-test: access checks keep working (stateless), login/refresh/logout
 * answer 503 within the command timeout, and service resumes by itself once Redis is
 * back.
 */
class RedisOutageIT extends SessionITSupport {

	/** Far below Lettuce's 60 s default: the command timeout here is 1 s. */
	static final Duration BOUND = Duration.ofSeconds(5);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
	}

	@Test
	void storeWhenRedisDownThen503FastAndRecoveryWhenBack() {
		Map<String, Object> tokens = login("alice");
		redis.stop();
		try {
			Instant start = Instant.now();
			refresh(tokens.get("refreshToken")).expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.error")
				.isEqualTo("temporarily_unavailable");
			assertThat(Duration.between(start, Instant.now())).isLessThan(BOUND);

			loginRequest("/auth/login", "alice", "pw").expectStatus()
				.isEqualTo(503)
				.expectBody()
				.jsonPath("$.accessToken")
				.doesNotExist();
			logout(tokens.get("refreshToken")).expectStatus().isEqualTo(503);

			this.client.get()
				.uri("/api/orders")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("accessToken"))
				.exchange()
				.expectStatus()
				.isOk();
		}
		finally {
			redis.restart();
		}
		// Lettuce reconnects by itself (Tollgate caps its back-off at 1 s). This
		// redis-server keeps nothing on disk: sessions from before the outage
		// are gone, new ones work.
		Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			Map<String, Object> fresh = login("alice");
			refresh(fresh.get("refreshToken")).expectStatus().isOk();
		});
	}

}
