package dev.tollgate.routes.login;

import java.time.Clock;
import java.time.Duration;

import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.test.TestRedisCluster;
import dev.tollgate.test.TestRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The login-protection contract on a three-master Redis Cluster: each script touches four
 * keys, which a Cluster only allows in one slot, so every case passing here proves the
 * {@code {address}} hash tag. The cases use addresses of random networks, so that they
 * spread over the masters.
 */
class RedisClusterLoginGuardIT extends LoginGuardContractTests {

	private static TestRedisCluster cluster;

	private static TestRedisConnection connection;

	@BeforeAll
	static void startCluster() {
		cluster = TestRedisCluster.start(3);
		connection = cluster.connect(Duration.ofSeconds(2));
	}

	@AfterAll
	static void stopCluster() {
		if (connection != null) {
			connection.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Override
	LoginGuard createGuard(LoginLimits limits, Clock clock) {
		return new RedisLoginGuard(connection.template(), limits, clock, Duration.ofSeconds(2), StoreTimer.NONE);
	}

}
