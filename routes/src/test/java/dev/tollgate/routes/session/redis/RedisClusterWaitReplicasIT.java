package dev.tollgate.routes.session.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.tollgate.routes.observe.MicrometerStoreTimer;
import dev.tollgate.routes.session.IssuedRefreshToken;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStoreContractTests;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.Rotation.Outcome;
import dev.tollgate.routes.session.SessionEndListener;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.StoreUnavailableException;
import dev.tollgate.test.TestRedis;
import dev.tollgate.test.TestRedisCluster;
import dev.tollgate.test.TestRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tollgate.redis.wait-replicas: 1} on a Redis Cluster of three masters with a
 * replica each. {@code WAIT} has no key: sent through the cluster connection it would
 * reach any node and count that node's replicas. Each write and its {@code WAIT} must go
 * to the master owning the session's slot, on one connection: then losing one master's
 * replica makes exactly that master's sessions answer 503, and the others keep rotating.
 */
class RedisClusterWaitReplicasIT {

	private static final int MASTERS = 3;

	private static final Duration WAIT = Duration.ofMillis(500);

	private static final Duration STEP = Duration.ofSeconds(5);

	private static TestRedisCluster cluster;

	private static TestRedisConnection connection;

	private static ReplicatedWrites replicated;

	private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@BeforeAll
	static void startCluster() {
		cluster = TestRedisCluster.start(MASTERS, 1);
		connection = cluster.connect(Duration.ofSeconds(2));
		replicated = new ReplicatedWrites(connection.factory()::getRequiredNativeClient, 1, WAIT,
				new MicrometerStoreTimer(registry))
			.start();
	}

	@AfterAll
	static void stopCluster() {
		if (replicated != null) {
			replicated.close();
		}
		if (connection != null) {
			connection.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void rotateWhenOneMastersReplicaKilledThenOnlyThatMastersSessionsUnavailable() {
		RedisRefreshTokenStore store = new RedisRefreshTokenStore(new RefreshTokenCodec(),
				RefreshTokenStoreContractTests.settings(Duration.ofMinutes(10), Duration.ofMinutes(30),
						Duration.ofSeconds(5)),
				Clock.systemUTC(), connection.template(), new RedisRefreshTokenStore.Options(Duration.ofSeconds(2),
						Duration.ofMinutes(16), StoreTimer.NONE, SessionEndListener.NONE, replicated));
		// first connections to a Cluster take seconds here (topology discovery): not what
		// this test is about
		connection.template().opsForValue().set("{warm-up}", "1").block(Duration.ofSeconds(20));
		replicated.write("{warm-up}", (commands) -> commands.set("{warm-up}", "2")).block(Duration.ofSeconds(20));

		// random family ids, until every master holds at least two sessions (and at least
		// six in all)
		Map<TestRedis, List<String>> tokensByMaster = new java.util.HashMap<>();
		for (int i = 0; i < 200 && !(tokensByMaster.size() == MASTERS
				&& tokensByMaster.values().stream().allMatch((tokens) -> tokens.size() >= 2)); i++) {
			IssuedRefreshToken token = store.create("user-" + i, List.of("user")).block(STEP);
			tokensByMaster.computeIfAbsent(masterOf(token.session().id()), (m) -> new ArrayList<>()).add(token.value());
		}
		assertThat(tokensByMaster).hasSize(MASTERS);
		assertThat(tokensByMaster.values().stream().mapToInt(List::size).sum()).isGreaterThanOrEqualTo(6);

		// every master's replica up: every session rotates
		tokensByMaster.replaceAll((master, tokens) -> tokens.stream().map((token) -> {
			Rotation rotation = store.rotate(token).block(STEP);
			assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED);
			return rotation.token().value();
		}).collect(Collectors.toCollection(ArrayList::new)));

		TestRedis lonely = tokensByMaster.keySet().iterator().next();
		replicaOf(lonely).kill();

		for (Map.Entry<TestRedis, List<String>> entry : tokensByMaster.entrySet()) {
			for (String token : entry.getValue()) {
				if (entry.getKey().equals(lonely)) {
					Instant start = Instant.now();
					assertThat(outcomeOf(store, token)).as("session on the master that lost its replica")
						.isEqualTo("unavailable");
					assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(2));
				}
				else {
					assertThat(outcomeOf(store, token)).as("session on a master with its replica").isEqualTo("ROTATED");
				}
			}
		}
		// each refused rotation is one WAIT that ran out, counted as such
		assertThat(registry.find("tollgate.store.operations")
			.tags("operation", "wait", "outcome", "timeout")
			.timer()
			.count()).isEqualTo(tokensByMaster.get(lonely).size());

		// a login whose session lands on the lonely master is refused too; elsewhere it
		// succeeds
		int refused = 0;
		for (int i = 0; i < 30; i++) {
			try {
				IssuedRefreshToken token = store.create("late-" + i, List.of()).block(STEP);
				assertThat(masterOf(token.session().id())).isNotEqualTo(lonely);
			}
			catch (StoreUnavailableException ex) {
				refused++;
			}
		}
		assertThat(refused).as("30 random logins, a third of them on the lonely master").isPositive().isLessThan(30);
	}

	private static String outcomeOf(RedisRefreshTokenStore store, String token) {
		try {
			return store.rotate(token).block(STEP).outcome().name();
		}
		catch (StoreUnavailableException ex) {
			return "unavailable";
		}
	}

	private static TestRedis masterOf(String sessionId) {
		return cluster.masterOf(RedisKeys.session(sessionId));
	}

	/** The replica whose {@code ROLE} names {@code master}'s port. */
	private static TestRedis replicaOf(TestRedis master) {
		return cluster.nodes().stream().filter((node) -> {
			String[] role = node.command("ROLE").split("\n");
			return role[0].equals("slave") && role[2].equals(Integer.toString(master.port()));
		}).findFirst().orElseThrow();
	}

}
