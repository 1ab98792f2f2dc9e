package dev.tollgate.routes.session.redis;

import java.time.Clock;
import java.time.Duration;

import java.util.List;

import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.session.IssuedRefreshToken;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.RefreshTokenStoreContractTests;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.SessionEndListener;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.test.TestRedis;
import dev.tollgate.test.TestRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract against {@link RedisRefreshTokenStore} on a real Redis, and what a
 * DPoP-bound session leaves there.
 */
class RedisRefreshTokenStoreTests extends RefreshTokenStoreContractTests {

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

	private static final String JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

	@Test
	void createWhenBoundThenTheHashHoldsTheThumbprintAndWhenBearerThenNoField() {
		RefreshTokenStore store = createStore(settings(TTL, MAX_LIFETIME, Duration.ZERO), this.clock);
		IssuedRefreshToken bound = store.create(this.alice, List.of(), ClientBinding.NONE, JKT)
			.block(Duration.ofSeconds(5));
		IssuedRefreshToken bearer = store.create(this.alice, List.of(), ClientBinding.NONE, null)
			.block(Duration.ofSeconds(5));

		assertThat(redis.command("HGET", RedisKeys.session(bound.session().id()), "jkt")).isEqualTo(JKT);
		assertThat(redis.command("HEXISTS", RedisKeys.session(bearer.session().id()), "jkt")).isEqualTo("0");
	}

	@Test
	void rotateWhenASessionStoredBeforeDpopThenABearerSessionWhateverTheProof() {
		RefreshTokenStore store = createStore(settings(TTL, MAX_LIFETIME, Duration.ZERO), this.clock);
		IssuedRefreshToken token = store.create(this.alice, List.of(), ClientBinding.NONE, JKT)
			.block(Duration.ofSeconds(5));
		// a session written by the previous version of session_create.lua has no jkt
		redis.command("HDEL", RedisKeys.session(token.session().id()), "jkt");

		Rotation rotation = store.rotate(token.value(), ClientBinding.NONE, null).block(Duration.ofSeconds(5));
		Rotation next = store.rotate(rotation.token().value(), ClientBinding.NONE, JKT).block(Duration.ofSeconds(5));

		assertThat(rotation.outcome()).isEqualTo(Rotation.Outcome.ROTATED);
		assertThat(rotation.session().bound()).isFalse();
		assertThat(next.outcome()).isEqualTo(Rotation.Outcome.ROTATED);
		assertThat(next.session().bound()).isFalse();
	}

	@Override
	protected RefreshTokenStore createStore(SessionSettings settings, Clock clock, SessionEndListener listener) {
		return new RedisRefreshTokenStore(new RefreshTokenCodec(), settings, clock, connection.template(),
				new RedisRefreshTokenStore.Options(RedisRefreshTokenStore.DEFAULT_TIMEOUT, Duration.ofMinutes(16),
						StoreTimer.NONE, listener));
	}

}
