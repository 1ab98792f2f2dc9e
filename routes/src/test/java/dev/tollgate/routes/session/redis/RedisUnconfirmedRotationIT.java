package dev.tollgate.routes.session.redis;

import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.session.IssuedRefreshToken;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStoreContractTests;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.Rotation.Outcome;
import dev.tollgate.routes.session.SessionEndListener;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.StoreUnavailableException;
import dev.tollgate.test.MutableClock;
import dev.tollgate.test.TestRedis;
import dev.tollgate.test.TestRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tollgate.redis.wait-replicas: 1} on a real master that has no replica: every
 * rotation runs on the master and is answered 503, because no replica acknowledges it
 * ({@code WAIT} rolls nothing back). The client still holds the token it presented;
 * however long it takes to come back with it, and whatever {@code reuse-grace} is, that
 * token gets the one successor the unanswered rotation made, until that successor has
 * been used.
 */
class RedisUnconfirmedRotationIT {

	private static final Duration STEP = Duration.ofSeconds(5);

	private static TestRedis master;

	private static TestRedisConnection connection;

	private static ReplicatedWrites replicated;

	private final MutableClock clock = MutableClock.startingNow();

	@BeforeAll
	static void startRedis() {
		master = TestRedis.start();
		connection = master.connect(Duration.ofSeconds(2));
		replicated = new ReplicatedWrites(connection.factory()::getRequiredNativeClient, 1, Duration.ofMillis(200),
				StoreTimer.NONE)
			.start();
	}

	@AfterAll
	static void stopRedis() {
		if (replicated != null) {
			replicated.close();
		}
		if (connection != null) {
			connection.close();
		}
		if (master != null) {
			master.close();
		}
	}

	@BeforeEach
	void flush() {
		master.flushAll();
	}

	@ParameterizedTest(name = "reuse-grace {0} ms")
	@ValueSource(ints = { 0, 5000 })
	void rotateWhenNoReplicaAcknowledgesThen503AndTheSameTokenRetriedAfterTheGraceGetsTheOneSuccessor(int graceMillis) {
		SessionSettings settings = RefreshTokenStoreContractTests.settings(Duration.ofMinutes(10), Duration.ofHours(1),
				Duration.ofMillis(graceMillis));
		RedisRefreshTokenStore waiting = store(settings, replicated);
		// the same Redis, without WAIT: what the client's retry sees once writes are
		// acknowledged again
		RedisRefreshTokenStore confirmed = store(settings, ReplicatedWrites.NONE);
		IssuedRefreshToken token = RefreshTokenStoreContractTests.create(confirmed, "alice", List.of("user"));
		String family = RedisKeys.session(token.session().id());

		StepVerifier.create(waiting.rotate(token.value())).expectError(StoreUnavailableException.class).verify(STEP);
		assertThat(master.command("HGET", family, "gen")).as("the rotation ran on the master").isEqualTo("1");
		// still unacknowledged: 503 again, and nothing more rotated
		StepVerifier.create(waiting.rotate(token.value())).expectError(StoreUnavailableException.class).verify(STEP);
		assertThat(master.command("HGET", family, "gen")).isEqualTo("1");
		this.clock.advance(Duration.ofMillis(graceMillis).plusSeconds(30));

		Rotation retry = RefreshTokenStoreContractTests.rotate(confirmed, token.value());
		assertThat(retry.outcome()).isEqualTo(Outcome.RETRIED);
		assertThat(retry.session()).isEqualTo(token.session());
		assertThat(RefreshTokenStoreContractTests.rotate(confirmed, token.value()).token().value())
			.as("the same successor every time")
			.isEqualTo(retry.token().value());
		assertThat(master.command("HGET", family, "gen")).as("one rotation in all").isEqualTo("1");

		Rotation next = RefreshTokenStoreContractTests.rotate(confirmed, retry.token().value());
		assertThat(next.outcome()).isEqualTo(Outcome.ROTATED);
		// the successor has been used: the token is spent now, and its return is reuse
		assertThat(RefreshTokenStoreContractTests.rotate(confirmed, token.value()).outcome()).isEqualTo(Outcome.REUSED);
		assertThat(RefreshTokenStoreContractTests.rotate(confirmed, next.token().value()).outcome())
			.isEqualTo(Outcome.INVALID);
	}

	@ParameterizedTest(name = "reuse-grace {0} ms")
	@ValueSource(ints = { 0, 5000 })
	void rotateWhenTheSuccessorWasUsedAndTheSuccessorsOwnRotationUnacknowledgedThenOnlyThatOneIsRetried(
			int graceMillis) {
		SessionSettings settings = RefreshTokenStoreContractTests.settings(Duration.ofMinutes(10), Duration.ofHours(1),
				Duration.ofMillis(graceMillis));
		RedisRefreshTokenStore waiting = store(settings, replicated);
		RedisRefreshTokenStore confirmed = store(settings, ReplicatedWrites.NONE);
		IssuedRefreshToken token = RefreshTokenStoreContractTests.create(confirmed, "alice", List.of());
		StepVerifier.create(waiting.rotate(token.value())).expectError(StoreUnavailableException.class).verify(STEP);
		String successor = RefreshTokenStoreContractTests.rotate(confirmed, token.value()).token().value();

		StepVerifier.create(waiting.rotate(successor)).expectError(StoreUnavailableException.class).verify(STEP);
		this.clock.advance(Duration.ofMillis(graceMillis).plusSeconds(30));

		assertThat(RefreshTokenStoreContractTests.rotate(confirmed, successor).outcome()).isEqualTo(Outcome.RETRIED);
		// the first token is two generations old now: its unanswered rotation was
		// answered since
		assertThat(RefreshTokenStoreContractTests.rotate(confirmed, token.value()).outcome()).isEqualTo(Outcome.REUSED);
	}

	private RedisRefreshTokenStore store(SessionSettings settings, ReplicatedWrites writes) {
		return new RedisRefreshTokenStore(new RefreshTokenCodec(), settings, this.clock, connection.template(),
				new RedisRefreshTokenStore.Options(Duration.ofSeconds(2), Duration.ofMinutes(16), StoreTimer.NONE,
						SessionEndListener.NONE, writes));
	}

}
