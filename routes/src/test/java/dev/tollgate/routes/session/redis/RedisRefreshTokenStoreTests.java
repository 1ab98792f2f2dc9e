package dev.tollgate.routes.session.redis;

import java.time.Clock;
import java.time.Duration;

import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.RefreshTokenStoreContractTests;
import dev.tollgate.routes.session.SessionEndListener;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.test.TestRedis;
import dev.tollgate.test.TestRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract against {@link RedisRefreshTokenStore} on a real Redis. */
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

	@Override
	protected RefreshTokenStore createStore(SessionSettings settings, Clock clock, SessionEndListener listener) {
		return new RedisRefreshTokenStore(new RefreshTokenCodec(), settings, clock, connection.template(),
				new RedisRefreshTokenStore.Options(RedisRefreshTokenStore.DEFAULT_TIMEOUT, Duration.ofMinutes(16),
						StoreTimer.NONE, listener));
	}

}
