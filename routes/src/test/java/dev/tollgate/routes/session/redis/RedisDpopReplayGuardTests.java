package dev.tollgate.routes.session.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.StoreUnavailableException;
import dev.tollgate.token.dpop.DpopProof;
import dev.tollgate.test.TestRedis;
import dev.tollgate.test.TestRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared DPoP replay guard on a real Redis. */
class RedisDpopReplayGuardTests {

	private static final Duration TTL = Duration.ofSeconds(70);

	private static final String JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

	private static TestRedis redis;

	private static TestRedisConnection connection;

	@BeforeAll
	static void startRedis() {
		redis = TestRedis.start();
		connection = redis.connect(Duration.ofSeconds(2));
	}

	@AfterAll
	static void stopRedis() {
		if (connection != null) {
			connection.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	private static DpopProof proof(String keyThumbprint, String jti) {
		return new DpopProof(keyThumbprint, jti, Instant.now());
	}

	@Test
	void firstUseWhenNewThenTrueAndWhenSeenAgainThenFalse() {
		List<String> operations = new ArrayList<>();
		RedisDpopReplayGuard guard = new RedisDpopReplayGuard(connection.template(), TTL, Duration.ofSeconds(2),
				recording(operations));
		DpopProof proof = proof(JKT, UUID.randomUUID().toString());

		StepVerifier.create(guard.firstUse(proof)).expectNext(true).verifyComplete();
		StepVerifier.create(guard.firstUse(proof)).expectNext(false).verifyComplete();

		assertThat(operations).containsExactly("dpop_replay", "dpop_replay");
	}

	@Test
	void firstUseWhenAnotherInstanceSawTheProofThenFalse() {
		DpopProof proof = proof(JKT, UUID.randomUUID().toString());
		RedisDpopReplayGuard first = new RedisDpopReplayGuard(connection.template(), TTL, Duration.ofSeconds(2),
				StoreTimer.NONE);
		try (TestRedisConnection other = redis.connect(Duration.ofSeconds(2))) {
			RedisDpopReplayGuard second = new RedisDpopReplayGuard(other.template(), TTL, Duration.ofSeconds(2),
					StoreTimer.NONE);

			StepVerifier.create(first.firstUse(proof)).expectNext(true).verifyComplete();
			StepVerifier.create(second.firstUse(proof)).expectNext(false).verifyComplete();
		}
	}

	@Test
	void firstUseWhenSameJtiFromAnotherKeyThenTrue() {
		String jti = UUID.randomUUID().toString();
		RedisDpopReplayGuard guard = new RedisDpopReplayGuard(connection.template(), TTL, Duration.ofSeconds(2),
				StoreTimer.NONE);

		StepVerifier.create(guard.firstUse(proof(JKT, jti))).expectNext(true).verifyComplete();
		StepVerifier.create(guard.firstUse(proof("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", jti)))
			.expectNext(true)
			.verifyComplete();
	}

	@Test
	void firstUseThenAHashTaggedKeyWithTheTtlAndWithoutTheJtiOrKeyInClear() {
		String jti = "jti-" + UUID.randomUUID();
		DpopProof proof = proof(JKT, jti);
		RedisDpopReplayGuard guard = new RedisDpopReplayGuard(connection.template(), TTL, Duration.ofSeconds(2),
				StoreTimer.NONE);

		guard.firstUse(proof).block(Duration.ofSeconds(5));

		String key = "tollgate:dpop:{" + proof.replayKey() + "}";
		assertThat(key).matches("tollgate:dpop:\\{[A-Za-z0-9_-]{22}\\}").doesNotContain(jti).doesNotContain(JKT);
		assertThat(redis.command("GET", key)).isEqualTo("1");
		assertThat(Long.parseLong(redis.command("PTTL", key))).isBetween(TTL.toMillis() - 5_000, TTL.toMillis());
	}

	@Test
	void firstUseWhenRedisIsDownThenStoreUnavailableNeverAccepted() {
		TestRedis doomed = TestRedis.start();
		try (TestRedisConnection down = doomed.connect(Duration.ofMillis(500))) {
			doomed.stop();
			RedisDpopReplayGuard guard = new RedisDpopReplayGuard(down.template(), TTL, Duration.ofMillis(500),
					StoreTimer.NONE);

			StepVerifier.create(guard.firstUse(proof(JKT, UUID.randomUUID().toString())))
				.expectError(StoreUnavailableException.class)
				.verify(Duration.ofSeconds(10));
		}
		finally {
			doomed.close();
		}
	}

	private static StoreTimer recording(List<String> operations) {
		return new StoreTimer() {
			@Override
			public <T> Mono<T> time(String operation, Mono<T> work) {
				operations.add(operation);
				return work;
			}
		};
	}

}
