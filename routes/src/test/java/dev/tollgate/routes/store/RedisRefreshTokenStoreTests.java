package dev.tollgate.routes.store;

import java.time.Clock;
import java.time.Duration;

import dev.tollgate.routes.config.RoutesProperties;
import dev.tollgate.routes.test.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The store contract against {@link RedisRefreshTokenStore} on a real Redis. */
class RedisRefreshTokenStoreTests extends RefreshTokenStoreContractTests {

	private static TestRedis redis;

	private static LettuceConnectionFactory connectionFactory;

	private static ReactiveStringRedisTemplate template;

	@BeforeAll
	static void startRedis() {
		redis = TestRedis.start();
		connectionFactory = redis.connectionFactory(Duration.ofSeconds(2));
		template = new ReactiveStringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void stopRedis() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Override
	RefreshTokenStore createStore(RoutesProperties.RefreshToken settings, Clock clock) {
		return new RedisRefreshTokenStore(new RefreshTokenCodec(), settings, clock, template);
	}

}
