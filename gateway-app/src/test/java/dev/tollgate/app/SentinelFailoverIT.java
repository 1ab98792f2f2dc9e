package dev.tollgate.app;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.tollgate.test.TestRedisSentinel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sentinel fail-over under load with {@code tollgate.redis.wait-replicas: 1}: while the
 * master is killed with SIGKILL and a replica promoted, refresh answers only 200 or 503
 * (never 500, never 401 for a chain's own latest token), every chain refreshes again
 * within 15 s, no rotation answered 200 is lost, and no token is accepted twice.
 */
class SentinelFailoverIT extends SentinelFailoverSupport {

	static final TestRedisSentinel sentinel = TestRedisSentinel.start(2);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		sentinelProperties(registry, sentinel, 1);
	}

	@AfterAll
	static void stopSentinel() {
		sentinel.close();
	}

	@Test
	void refreshWhenMasterKilledThenOnly200Or503AndNoAcknowledgedRotationLost() throws InterruptedException {
		Run run = runChainsThroughFailover(sentinel);

		Set<String> handedOut = new HashSet<>();
		int total = 0;
		for (Chain chain : run.chains()) {
			assertThat(chain.unexpected).as("answers other than 200 or 503").isEmpty();
			assertThat(chain.firstOkAfterKill).as("a 200 after the kill").isNotNull();
			assertThat(Duration.between(run.killedAt(), chain.firstOkAfterKill)).isLessThan(RECOVERY);
			handedOut.addAll(chain.tokens);
			total += chain.tokens.size();
		}
		assertThat(handedOut).as("no token handed out twice").hasSize(total);

		for (Chain chain : run.chains()) {
			List<String> tokens = chain.tokens;
			// the latest acknowledged rotation survived the fail-over: its token works...
			refresh(chain.latest()).expectStatus().isOk().expectBody(String.class).returnResult();
			// ...and the token it replaced, now two rotations old, is refused as reuse
			refresh(tokens.get(tokens.size() - 2)).expectStatus()
				.isUnauthorized()
				.expectBody()
				.jsonPath("$.error")
				.isEqualTo("invalid_grant");
			// so is the very first one
			refresh(tokens.get(0)).expectStatus().isUnauthorized().expectBody(String.class).returnResult();
		}
		System.out.printf("wait-replicas 1: %d chains, %d tokens handed out, none lost, none accepted twice%n",
				run.chains().size(), total);
	}

}
