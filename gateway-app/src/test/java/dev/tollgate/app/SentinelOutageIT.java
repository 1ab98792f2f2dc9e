package dev.tollgate.app;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import dev.tollgate.test.TestRedis;
import dev.tollgate.test.TestRedisSentinel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An outage must never look like theft. Sentinel with one master and one replica,
 * {@code wait-replicas: 1}, {@code reuse-grace: 10s}, eight refresh chains; the master is
 * killed. The replica is promoted and no replica is left, so for {@value #OUTAGE_SECONDS}
 * seconds (longer than the grace) every rotation runs on the new master and is answered
 * 503, because none acknowledges it. The chains keep retrying the token they hold; then a
 * replica of the new master starts. No chain ever gets a 401, no session is lost, and
 * every chain refreshes again with 200s.
 */
class SentinelOutageIT extends SentinelFailoverSupport {

	static final int OUTAGE_SECONDS = 30;

	static final Duration GRACE = Duration.ofSeconds(10);

	static final TestRedisSentinel sentinel = TestRedisSentinel.start(1);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		sentinelProperties(registry, sentinel, 1, GRACE);
	}

	@AfterAll
	static void stopSentinel() {
		sentinel.close();
	}

	@Test
	void refreshWhenNoReplicaAcknowledgesForLongerThanTheGraceThenNo401AndEveryChainGoesOn() throws Exception {
		AtomicReference<Instant> replicaStartedAt = new AtomicReference<>();

		Run run = runChains(sentinel, (old, killedAt) -> {
			TestRedis promoted = sentinel.awaitFailover(old, 0, Duration.ofSeconds(20));
			System.out.printf("Sentinel fail-over: master %d killed, %d promoted without a replica %d ms later%n",
					old.port(), promoted.port(), Duration.between(killedAt, Instant.now()).toMillis());
			// the outage itself: writes are not acknowledged for this long
			Thread.sleep(Math.max(0, Duration.between(Instant.now(), killedAt.plusSeconds(OUTAGE_SECONDS)).toMillis()));
			replicaStartedAt.set(Instant.now());
			TestRedis replica = sentinel.startReplicaOfMaster();
			System.out.printf("replica %d of master %d started %d ms after the kill, acknowledging %d ms later%n",
					replica.port(), promoted.port(), Duration.between(killedAt, replicaStartedAt.get()).toMillis(),
					Duration.between(replicaStartedAt.get(), Instant.now()).toMillis());
		}, Duration.ofSeconds(20));
		System.out.printf("%d chains through a %d s outage: %d answers 503, %d chains refused with 401 (reuse)%n",
				run.chains().size(), OUTAGE_SECONDS, run.chains().stream().mapToInt((chain) -> chain.unavailable).sum(),
				run.chains().stream().filter((chain) -> chain.lost).count());

		for (Chain chain : run.chains()) {
			assertThat(chain.unexpected).as("answers other than 200 or 503 (a 401: the outage taken for theft)")
				.isEmpty();
			assertThat(chain.lastUnavailableAt).as("the chain retried through the outage").isNotNull();
			assertThat(Duration.between(run.killedAt(), chain.lastUnavailableAt)).as("503s past the grace")
				.isGreaterThan(GRACE);
			assertThat(chain.firstOkAfterKill).as("refreshed only once writes were acknowledged again")
				.isAfter(replicaStartedAt.get());
			assertThat(chain.okAfterKill).isGreaterThanOrEqualTo(3);
		}
		for (Chain chain : run.chains()) {
			// no session lost: the chain's latest token refreshes, and the one it
			// replaced is spent
			refresh(chain.latest()).expectStatus().isOk().expectBody(String.class).returnResult();
			refresh(chain.tokens.get(chain.tokens.size() - 2)).expectStatus().isUnauthorized();
		}
	}

}
