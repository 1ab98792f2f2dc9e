package dev.tollgate.app;

import java.util.Map;
import java.util.stream.Collectors;

import dev.tollgate.test.TestRedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refresh flow through the real gateway on a 3-master Redis Cluster of {@code redis-server} processes,
 * configured the Spring Boot way ({@code spring.data.redis.cluster.nodes}): every script's keys share the
 * family's hash tag, so each operation runs on one node.
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
		registry.add("spring.data.redis.cluster.nodes",
				() -> cluster.nodes().stream().map((node) -> "127.0.0.1:" + node.port()).collect(Collectors.joining(",")));
	}

	@Test
	void refreshFlowWhenRedisClusterThenRotationReuseDetectionAndLogoutWork() {
		for (int i = 0; i < 6; i++) {
			Map<String, Object> first = login("alice");
			Map<String, Object> second = refreshOk(first.get("refreshToken"));
			refresh(first.get("refreshToken")).expectStatus().isUnauthorized();
			refresh(second.get("refreshToken")).expectStatus().isUnauthorized();
		}
		long nodesWithKeys = cluster.nodes().stream().filter((node) -> !node.command("DBSIZE").equals("0")).count();
		Map<String, Object> session = login("bob");
		logout(session.get("refreshToken"))
			.expectStatus()
			.isNoContent();
		refresh(session.get("refreshToken")).expectStatus().isUnauthorized();
		// revoked families leave nothing behind, on any node
		assertThat(nodesWithKeys).isZero();
	}

}
