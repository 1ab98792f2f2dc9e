package dev.tollgate.app;

import java.util.Map;

import dev.tollgate.test.TestRedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refresh flow through the real gateway on a 3-master Redis Cluster of
 * {@code redis-server} processes, configured the Spring Boot way
 * ({@code spring.data.redis.cluster.nodes}): every script's keys share the family's hash
 * tag, so each operation runs on one node.
 */
class ClusterRefreshIT extends SessionITSupport {

	static final TestRedisCluster cluster = TestRedisCluster.start(3);

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
		registry.add("spring.data.redis.cluster.nodes", () -> cluster.addresses());
	}

	@Test
	void refreshFlowWhenRedisClusterThenRotationReuseDetectionAndLogoutWork() {
		for (int i = 0; i < 6; i++) {
			Map<String, Object> first = login("alice");
			Map<String, Object> second = refreshOk(first.get("refreshToken"));
			refresh(first.get("refreshToken")).expectStatus().isUnauthorized();
			refresh(second.get("refreshToken")).expectStatus().isUnauthorized();
		}
		Map<String, Object> session = login("bob");
		logout(session.get("refreshToken")).expectStatus().isNoContent();
		refresh(session.get("refreshToken")).expectStatus().isUnauthorized();
		// ended sessions leave only their revocation markers, on whichever node, until
		// their last access token
		// has expired (15 minutes and the 30 s skew); neither the session nor the users'
		// indexes remain
		java.util.List<String> keys = new java.util.ArrayList<>();
		for (var node : cluster.nodes()) {
			String nodeKeys = node.command("KEYS", "*");
			for (String key : nodeKeys.isEmpty() ? new String[0] : nodeKeys.split("\n")) {
				keys.add(key);
				assertThat(Long.parseLong(node.command("PTTL", key))).as("PTTL of %s", key)
					.isPositive()
					.isLessThanOrEqualTo(java.time.Duration.ofMinutes(15).plusSeconds(30).toMillis());
			}
		}
		assertThat(keys).hasSize(7).allMatch((key) -> key.matches("tollgate:rt:\\{[A-Za-z0-9_-]{22}\\}:revoked"));
	}

}
