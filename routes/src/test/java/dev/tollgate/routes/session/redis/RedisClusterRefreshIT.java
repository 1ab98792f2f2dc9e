package dev.tollgate.routes.session.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.session.EndedSessions;
import dev.tollgate.routes.session.IssuedRefreshToken;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.RefreshTokenStoreContractTests;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.Rotation.Outcome;
import dev.tollgate.routes.session.SessionEndListener;
import dev.tollgate.routes.session.SessionInfo;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.test.TestRedis;
import dev.tollgate.test.TestRedisCluster;
import dev.tollgate.test.TestRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract on a three-master Redis Cluster: each script touches two keys, which
 * a Cluster only allows when they hash to one slot, so every case passing here proves the
 * {@code {sessionId}} hash tag.
 */
class RedisClusterRefreshIT extends RefreshTokenStoreContractTests {

	private static final int MASTERS = 3;

	private static TestRedisCluster cluster;

	private static TestRedisConnection connection;

	@BeforeAll
	static void startCluster() {
		cluster = TestRedisCluster.start(MASTERS);
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
	protected RefreshTokenStore createStore(SessionSettings settings, Clock clock, SessionEndListener listener) {
		return new RedisRefreshTokenStore(new RefreshTokenCodec(), settings, clock, connection.template(),
				new RedisRefreshTokenStore.Options(RedisRefreshTokenStore.DEFAULT_TIMEOUT, Duration.ofMinutes(16),
						StoreTimer.NONE, listener));
	}

	@Test
	void createRotateReuseRevokeWhenSessionsSpreadOverEveryMasterThenEachSessionOnOneNode() {
		RefreshTokenStore store = createStore(settings(TTL, MAX_LIFETIME, Duration.ZERO), this.clock);
		// random family ids: a hundred families miss a master with probability 3 *
		// (2/3)^100
		for (int i = 0; i < 100 && !everyMasterHoldsKeys(); i++) {
			IssuedRefreshToken token = create(store, "alice", List.of("user"));
			Rotation rotation = rotate(store, token.value());
			assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED);
			TestRedis owner = ownerOf(token.session().id());
			assertThat(owner.command("EXISTS", key(token, "family"))).isEqualTo("1");
			assertThat(Long.parseLong(owner.command("PTTL", key(token, "family")))).isPositive();
		}
		assertThat(everyMasterHoldsKeys()).isTrue();

		IssuedRefreshToken token = create(store, "bob", List.of());
		Rotation rotation = rotate(store, token.value());
		assertThat(rotate(store, token.value()).outcome()).isEqualTo(Outcome.REUSED);
		assertThat(rotate(store, rotation.token().value()).outcome()).isEqualTo(Outcome.INVALID);
		TestRedis bobsNode = ownerOf(token.session().id());
		assertThat(Long.parseLong(bobsNode.command("PTTL", key(token, "revoked")))).as("revocation marker")
			.isPositive();

		IssuedRefreshToken loggedIn = create(store, "carol", List.of());
		assertThat(store.logout(loggedIn.value()).block(Duration.ofSeconds(5)).session()).isEqualTo(loggedIn.session());
		assertThat(ownerOf(loggedIn.session().id()).command("EXISTS", key(loggedIn, "family"))).isEqualTo("0");
	}

	@Test
	void sessionsWhenIndexAndSessionsInOtherSlotsThenListedAndEndedAcrossNodes() {
		RefreshTokenStore store = createStore(settings(TTL, MAX_LIFETIME, Duration.ZERO), this.clock);
		List<IssuedRefreshToken> tokens = new java.util.ArrayList<>();
		for (int i = 0; i < 12; i++) {
			tokens.add(create(store, "dave", List.of()));
		}
		long nodesHoldingDavesSessions = tokens.stream()
			.map((token) -> ownerOf(token.session().id()))
			.distinct()
			.count();
		assertThat(nodesHoldingDavesSessions).as("12 random family ids on 3 masters").isGreaterThan(1);

		// all started at the same instant: no order among them
		assertThat(sessions(store, "dave")).extracting(SessionInfo::id)
			.containsExactlyInAnyOrderElementsOf(tokens.stream().map((token) -> token.session().id()).toList());

		assertThat(store.endAll("dave", "operator").block(Duration.ofSeconds(10))).hasSize(12);
		assertThat(sessions(store, "dave")).isEmpty();
		for (IssuedRefreshToken token : tokens) {
			assertThat(rotate(store, token.value()).outcome()).isEqualTo(Outcome.INVALID);
			assertThat(ownerOf(token.session().id()).command("EXISTS", key(token, "revoked"))).isEqualTo("1");
		}

		// an instance started now finds the revocations on every master
		EndedSessions revoked = new EndedSessions(this.clock, Duration.ofMinutes(16));
		SessionEndSubscriber subscriber = new SessionEndSubscriber(connection.template(),
				() -> new ReactiveRedisMessageListenerContainer(connection.factory()), null, revoked, StoreTimer.NONE);
		subscriber.start();
		try {
			assertThat(tokens).allMatch((token) -> revoked.isRevoked(token.session().id()));
		}
		finally {
			subscriber.stop();
		}
	}

	private static boolean everyMasterHoldsKeys() {
		return cluster.nodes().stream().allMatch((node) -> Long.parseLong(node.command("DBSIZE")) > 0);
	}

	/**
	 * The master serving the family's slot: the one that answers for its keys instead of
	 * redirecting.
	 */
	private static TestRedis ownerOf(String sessionId) {
		return cluster.nodes().stream().filter((node) -> {
			try {
				node.command("EXISTS", "{" + sessionId + "}");
				return true;
			}
			catch (IllegalStateException moved) {
				return false;
			}
		}).findFirst().orElseThrow();
	}

	private static String key(IssuedRefreshToken token, String kind) {
		return "tollgate:rt:{" + token.session().id() + "}:" + kind;
	}

}
