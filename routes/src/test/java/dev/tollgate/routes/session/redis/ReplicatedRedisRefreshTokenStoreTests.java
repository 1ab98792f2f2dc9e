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

/**
 * The store contract against {@link RedisRefreshTokenStore} with
 * {@code tollgate.redis.wait-replicas: 1} on a real master and replica: every script and
 * index write then runs through {@link ReplicatedWrites}' own connection and is followed
 * by {@code WAIT}, and must behave exactly as through Spring Data Redis.
 */
class ReplicatedRedisRefreshTokenStoreTests extends RefreshTokenStoreContractTests {

	private static TestRedis master;

	private static TestRedis replica;

	private static TestRedisConnection connection;

	private static ReplicatedWrites replicated;

	@BeforeAll
	static void startRedis() {
		master = TestRedis.start();
		replica = TestRedis.startReplicaOf(master);
		connection = master.connect(Duration.ofSeconds(2));
		replicated = new ReplicatedWrites(connection.factory()::getRequiredNativeClient, 1, Duration.ofSeconds(1),
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
		if (replica != null) {
			replica.close();
		}
		if (master != null) {
			master.close();
		}
	}

	@Override
	protected RefreshTokenStore createStore(SessionSettings settings, Clock clock, SessionEndListener listener) {
		return new RedisRefreshTokenStore(new RefreshTokenCodec(), settings, clock, connection.template(),
				new RedisRefreshTokenStore.Options(RedisRefreshTokenStore.DEFAULT_TIMEOUT, Duration.ofMinutes(16),
						StoreTimer.NONE, listener, replicated));
	}

}
