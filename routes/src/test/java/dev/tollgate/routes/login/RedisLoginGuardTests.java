package dev.tollgate.routes.login;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.login.LoginGuard.Result;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.test.TestRedis;
import dev.tollgate.test.TestRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;

/** The login-protection contract on a real Redis, and what it leaves there. */
class RedisLoginGuardTests extends LoginGuardContractTests {

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
	LoginGuard createGuard(LoginLimits limits, Clock clock) {
		return new RedisLoginGuard(connection.template(), limits, clock, Duration.ofSeconds(2), StoreTimer.NONE);
	}

	@Test
	void keysWhenAttemptsCountedThenHashTaggedByAddressExpiringAndWithoutUsernameOrAddressInClear() {
		redis.flushAll();
		LoginGuard guard = createGuard(LIMITS, this.clock);
		LoginAttempt attempt = new LoginAttempt("mallory@example.com", "203.0.113.7");
		guard.admit(attempt).block();
		guard.end(attempt, Result.FAILED).block();
		guard.admit(attempt).block();

		List<String> keys = connection.template()
			.scan(ScanOptions.scanOptions().count(100).build())
			.collectList()
			.block(Duration.ofSeconds(5));

		assertThat(keys).hasSize(4).allMatch((key) -> key.matches("tollgate:login:\\{[A-Za-z0-9_-]{22}\\}:.*"));
		assertThat(keys.stream().map((key) -> key.substring(0, key.indexOf('}'))).distinct()).hasSize(1);
		StringBuilder contents = new StringBuilder();
		for (String key : keys) {
			assertThat(Long.parseLong(redis.command("PTTL", key))).as("ttl of %s", key).isPositive();
			contents.append(key).append(redis.command("DUMP", key));
		}
		assertThat(contents.toString()).doesNotContain("mallory").doesNotContain("203.0.113.7");
	}

}
