package dev.tollgate.app;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reuse-grace}: an idempotent retry of the immediate predecessor, and nothing
 * more.
 */
class RefreshGraceIT extends SessionITSupport {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
		registry.add("tollgate.refresh-token.reuse-grace", () -> "30s");
	}

	@Test
	void refreshWhenPredecessorRetriedWithinGraceThenSameRefreshTokenAndFreshAccessToken() {
		Map<String, Object> first = login("alice");
		Map<String, Object> second = refreshOk(first.get("refreshToken"));
		Map<String, Object> retried = refreshOk(first.get("refreshToken"));
		assertThat(retried.get("refreshToken")).isEqualTo(second.get("refreshToken"));
		assertThat(retried.get("accessToken")).isNotEqualTo(second.get("accessToken"));
		// the successor still works after the retry
		refreshOk(second.get("refreshToken"));
	}

	@Test
	void refreshWhenSuccessorAlreadyRotatedThenPredecessorIsReuseAndFamilyDies() {
		Map<String, Object> first = login("alice");
		Map<String, Object> second = refreshOk(first.get("refreshToken"));
		Map<String, Object> third = refreshOk(second.get("refreshToken"));
		refresh(first.get("refreshToken")).expectStatus().isUnauthorized();
		refresh(third.get("refreshToken")).expectStatus().isUnauthorized();
	}

}
