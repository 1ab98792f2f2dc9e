package dev.tollgate.routes.session.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.session.IssuedRefreshToken;
import dev.tollgate.routes.session.Logout;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStoreContractTests;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.Rotation.Outcome;
import dev.tollgate.routes.session.SessionEndListener;
import dev.tollgate.routes.session.SessionInfo;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.StoreUnavailableException;
import dev.tollgate.test.MutableClock;
import dev.tollgate.test.TestRedis;
import dev.tollgate.test.TestRedisConnection;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link RedisRefreshTokenStore} leaves in Redis, and how it behaves when Redis is
 * gone or stalls.
 */
class RedisRefreshTokenStoreIT {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration GRACE = Duration.ofSeconds(10);

	private static final SessionSettings SETTINGS = RefreshTokenStoreContractTests.settings(Duration.ofMinutes(10),
			Duration.ofHours(1), GRACE);

	private static TestRedis redis;

	private static TestRedisConnection connection;

	private final MutableClock clock = MutableClock.startingNow();

	private final RefreshTokenCodec codec = new RefreshTokenCodec();

	private RedisRefreshTokenStore store;

	@BeforeAll
	static void startRedis() {
		redis = TestRedis.start();
		connection = redis.connect(COMMAND_TIMEOUT);
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

	@BeforeEach
	void createStore() {
		redis.flushAll();
		this.store = new RedisRefreshTokenStore(this.codec, SETTINGS, this.clock, connection.template());
	}

	@AfterEach
	void restartIfStopped() {
		if (!redis.isRunning()) {
			redis.restart();
		}
	}

	@Test
	void keysWhenSessionsLiveThenOneHashEachAndTheUsersIndexAllExpiring() {
		List<String> familyIds = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			IssuedRefreshToken token = RefreshTokenStoreContractTests.create(this.store, "user" + i, List.of("user"));
			familyIds.add(token.session().id());
			if (i > 0) {
				RefreshTokenStoreContractTests.rotate(this.store, token.value());
			}
		}

		List<String> keys = keys();

		assertThat(keys).containsExactlyInAnyOrder("tollgate:rt:{" + familyIds.get(0) + "}:family",
				"tollgate:rt:{" + familyIds.get(1) + "}:family", "tollgate:rt:{" + familyIds.get(2) + "}:family",
				RedisKeys.userIndex("user0"), RedisKeys.userIndex("user1"), RedisKeys.userIndex("user2"));
		assertThat(RedisKeys.userIndex("user0")).startsWith("tollgate:user:{")
			.endsWith("}:sessions")
			.doesNotContain("user0");
		for (String key : keys) {
			assertThat(Long.parseLong(redis.command("PTTL", key))).as("ttl of %s", key)
				.isPositive()
				.isLessThanOrEqualTo(SETTINGS.maxLifetime().toMillis());
		}
	}

	@Test
	void memoryWhenSessionRotatedAThousandTimesThenAsAfterOneRotation() {
		IssuedRefreshToken token = RefreshTokenStoreContractTests.create(this.store, "alice", List.of("user"));
		String family = RedisKeys.session(token.session().id());
		String current = RefreshTokenStoreContractTests.rotate(this.store, token.value()).token().value();
		long afterOne = memoryUsage(family);
		List<String> spent = new ArrayList<>(List.of(token.value()));
		for (int i = 1; i < 1000; i++) {
			spent.add(current);
			current = RefreshTokenStoreContractTests.rotate(this.store, current).token().value();
			if (i == 499) {
				assertThat(memoryUsage(family)).as("after 500 rotations").isLessThanOrEqualTo(afterOne + 64);
			}
		}
		long afterThousand = memoryUsage(family);
		// every value fits Redis's compact hash encoding (listpack, ziplist before Redis
		// 7): a third of a hashtable
		assertThat(redis.command("OBJECT", "ENCODING", family)).isIn("listpack", "ziplist");

		assertThat(afterThousand).as("after 1000 rotations, against %d after 1", afterOne)
			.isLessThanOrEqualTo(afterOne + 64);
		assertThat(keys()).containsExactlyInAnyOrder(family, RedisKeys.userIndex("alice"));
		// and the very first token of the thousand is still recognised as reuse
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, spent.get(0)).outcome()).isEqualTo(Outcome.REUSED);
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, current).outcome()).isEqualTo(Outcome.INVALID);
	}

	@Test
	void endWhenSessionEndsThenMarkerUntilLastAccessTokenExpiresAndRevocationPublished() throws Exception {
		IssuedRefreshToken token = RefreshTokenStoreContractTests.create(this.store, "alice", List.of());
		String sessionId = token.session().id();
		List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
		var subscription = connection.template()
			.listenToChannel(RedisKeys.SESSION_END_CHANNEL)
			.doOnNext((message) -> published.add(message.getMessage()))
			.subscribe();
		try {
			Thread.sleep(200);
			assertThat(this.store.logout(token.value()).block(Duration.ofSeconds(5)).session()).isNotNull();

			String marker = RedisKeys.endMarker(sessionId);
			long until = this.clock.millis() + Duration.ofMinutes(16).toMillis();
			assertThat(keys()).containsExactly(marker);
			assertThat(redis.command("GET", marker)).isEqualTo(Long.toString(until));
			assertThat(Long.parseLong(redis.command("PTTL", marker))).isBetween(Duration.ofMinutes(15).toMillis(),
					Duration.ofMinutes(16).toMillis());
			Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> !published.isEmpty());
			assertThat(published).containsExactly(sessionId + " " + until);
		}
		finally {
			subscription.dispose();
		}
	}

	@Test
	void sessionsWhenCrashLeftIndexEntryWithoutSessionThenSkippedAndCleaned() {
		IssuedRefreshToken live = RefreshTokenStoreContractTests.create(this.store, "alice", List.of());
		String index = RedisKeys.userIndex("alice");
		// a crash after the index write of a login and before its session was created
		redis.command("ZADD", index, "1", "AAAAAAAAAAAAAAAAAAAAAA");
		// a crash after a session ended and before its index entry was removed
		IssuedRefreshToken ended = RefreshTokenStoreContractTests.create(this.store, "alice", List.of());
		redis.command("DEL", RedisKeys.session(ended.session().id()));

		assertThat(RefreshTokenStoreContractTests.sessions(this.store, "alice")).extracting(SessionInfo::id)
			.containsExactly(live.session().id());
		assertThat(redis.command("ZRANGE", index, "0", "-1")).isEqualTo(live.session().id());
	}

	@Test
	void keysWhenTokensIssuedRotatedAndRetriedThenNoTokenOrSecretInClear() {
		List<String> issued = new ArrayList<>();
		dev.tollgate.routes.client.ClientBinding facts = new dev.tollgate.routes.client.ClientBinding(
				java.util.Map.of("user-agent", "SecretBrowser/9.9", "address-prefix", "203.0.113.0/24"));
		for (int i = 0; i < 3; i++) {
			IssuedRefreshToken token = this.store.create("alice", List.of("user"), facts).block(Duration.ofSeconds(5));
			Rotation rotation = RefreshTokenStoreContractTests.rotate(this.store, token.value());
			Rotation retry = RefreshTokenStoreContractTests.rotate(this.store, token.value());
			assertThat(retry.outcome()).isEqualTo(Outcome.RETRIED);
			Rotation next = RefreshTokenStoreContractTests.rotate(this.store, rotation.token().value());
			issued.addAll(List.of(token.value(), rotation.token().value(), next.token().value()));
		}

		String contents = dumpAll();

		assertThat(contents).contains("alice")
			.contains("b:user-agent")
			.doesNotContain("SecretBrowser")
			.doesNotContain("203.0.113");
		for (String token : issued) {
			assertThat(contents).doesNotContain(token).doesNotContain(this.codec.parse(token).secret());
		}
	}

	@Test
	void operationsWhenRedisStoppedThenStoreUnavailableWithinSecondsAndWorkAgainAfterRestart() {
		IssuedRefreshToken token = RefreshTokenStoreContractTests.create(this.store, "alice", List.of());

		redis.stop();

		assertUnavailableWithin(this.store.rotate(token.value()), Duration.ofSeconds(3));
		assertUnavailableWithin(this.store.create("alice", List.of()), Duration.ofSeconds(3));
		assertUnavailableWithin(this.store.logout(token.value()), Duration.ofSeconds(3));

		redis.restart();
		// Lettuce reconnects by itself, with a back-off
		IssuedRefreshToken fresh = awaitCreate(Duration.ofSeconds(30));
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, fresh.value()).outcome())
			.isEqualTo(Outcome.ROTATED);
		// nothing was persisted: the sessions from before the outage are gone
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, token.value()).outcome())
			.isEqualTo(Outcome.INVALID);
	}

	@Test
	void rotateWhenRedisStallsThenStoreUnavailableAfterTimeoutAndClientRetryWithinGraceServed() {
		RedisRefreshTokenStore impatient = new RedisRefreshTokenStore(this.codec, SETTINGS, this.clock,
				connection.template(), new RedisRefreshTokenStore.Options(Duration.ofMillis(300),
						Duration.ofMinutes(16), StoreTimer.NONE, SessionEndListener.NONE));
		IssuedRefreshToken token = RefreshTokenStoreContractTests.create(impatient, "alice", List.of());

		redis.command("CLIENT", "PAUSE", "1500", "ALL");
		StepVerifier.create(impatient.rotate(token.value()))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(StoreUnavailableException.class)
				.hasCauseInstanceOf(TimeoutException.class))
			.verify(Duration.ofSeconds(1));

		assertThat(redis.command("PING")).as("answered once the pause ends").isEqualTo("PONG");
		// the script was already queued and ran when the pause ended: the caller cannot
		// know, so retries
		Rotation retry = RefreshTokenStoreContractTests.rotate(this.store, token.value());
		assertThat(retry.outcome()).isEqualTo(Outcome.RETRIED);
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, retry.token().value()).outcome())
			.isEqualTo(Outcome.ROTATED);
	}

	@Test
	void rotateWhenRedisStallsAndTheClientRetriesAfterTheGraceThenStillRetriedWithTheOneSuccessor() {
		RedisRefreshTokenStore impatient = new RedisRefreshTokenStore(this.codec, SETTINGS, this.clock,
				connection.template(), new RedisRefreshTokenStore.Options(Duration.ofMillis(300),
						Duration.ofMinutes(16), StoreTimer.NONE, SessionEndListener.NONE));
		IssuedRefreshToken token = RefreshTokenStoreContractTests.create(impatient, "alice", List.of());

		redis.command("CLIENT", "PAUSE", "1500", "ALL");
		StepVerifier.create(impatient.rotate(token.value()))
			.expectError(StoreUnavailableException.class)
			.verify(Duration.ofSeconds(2));
		assertThat(redis.command("PING")).as("answered once the pause ends").isEqualTo("PONG");
		this.clock.advance(GRACE.plusSeconds(1));

		// the answer never reached the client: the token it holds is not spent, however
		// long it took to retry
		Rotation retry = RefreshTokenStoreContractTests.rotate(this.store, token.value());
		assertThat(retry.outcome()).isEqualTo(Outcome.RETRIED);
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, token.value()).token().value())
			.isEqualTo(retry.token().value());
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, retry.token().value()).outcome())
			.isEqualTo(Outcome.ROTATED);
		// its successor has been used: now the token is spent
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, token.value()).outcome())
			.isEqualTo(Outcome.REUSED);
	}

	@Test
	void rotateWhenASpentTokensRequestTimesOutThenItIsStillReuse() {
		RedisRefreshTokenStore impatient = new RedisRefreshTokenStore(this.codec, SETTINGS, this.clock,
				connection.template(), new RedisRefreshTokenStore.Options(Duration.ofMillis(300),
						Duration.ofMinutes(16), StoreTimer.NONE, SessionEndListener.NONE));
		IssuedRefreshToken token = RefreshTokenStoreContractTests.create(impatient, "alice", List.of());
		Rotation owner = RefreshTokenStoreContractTests.rotate(impatient, token.value());
		this.clock.advance(GRACE.plusSeconds(1));

		redis.command("CLIENT", "PAUSE", "1500", "ALL");
		StepVerifier.create(impatient.rotate(token.value()))
			.expectError(StoreUnavailableException.class)
			.verify(Duration.ofSeconds(2));
		assertThat(redis.command("PING")).isEqualTo("PONG");

		// a failed answer to a stolen, spent token makes it no more the client's own
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, token.value()).outcome())
			.isEqualTo(Outcome.REUSED);
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, owner.token().value()).outcome())
			.isEqualTo(Outcome.INVALID);
	}

	// ---- sessions stored by the previous format: their current hash is of the nonce
	// alone, their tags HMAC-SHA256

	@Test
	void rotateWhenSessionOfThePreviousFormatThenItsTokenRotatesAndTheSessionMovesToTheCurrentFormat() {
		String token = previousFormatSession("alice", 0, null);
		String family = RedisKeys.session(token.substring(0, 22));

		Rotation rotation = RefreshTokenStoreContractTests.rotate(this.store, token);

		assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(rotation.session().userId()).isEqualTo("alice");
		assertThat(redis.command("HGET", family, "v2")).as("the current format from the successor on").isEqualTo("1");
		Rotation next = RefreshTokenStoreContractTests.rotate(this.store, rotation.token().value());
		assertThat(next.outcome()).isEqualTo(Outcome.ROTATED);
		// the previous format's token, now two generations old, is reuse: its tag is
		// still checked
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, token).outcome()).isEqualTo(Outcome.REUSED);
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, next.token().value()).outcome())
			.isEqualTo(Outcome.INVALID);
	}

	@Test
	void rotateWhenTokenOfThePreviousFormatChangedInAnyOneCharacterThenInvalidAndNothingChanges() {
		String token = previousFormatSession("alice", 0, null);
		String family = RedisKeys.session(token.substring(0, 22));
		String before = redis.command("HGETALL", family);

		for (String altered : RefreshTokenStoreContractTests.alterations(token)) {
			assertThat(RefreshTokenStoreContractTests.rotate(this.store, altered).outcome()).as(altered)
				.isEqualTo(Outcome.INVALID);
			assertThat(this.store.logout(altered).block(Duration.ofSeconds(5))).isEqualTo(Logout.unknown());
		}

		assertThat(redis.command("HGETALL", family)).isEqualTo(before);
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, token).outcome()).isEqualTo(Outcome.ROTATED);
	}

	@Test
	void logoutWhenTokensOfThePreviousFormatThenTheirTagsCheckedTooAndASpentOneIsReuse() {
		String phone = previousFormatSession("alice", 1, this.codec.successorSalt());
		String laptop = previousFormatSession("alice", 0, null);
		this.clock.advance(GRACE);

		assertThat(this.store.logoutAll(phone).block(Duration.ofSeconds(5)).outcome()).isEqualTo(Logout.Outcome.REUSED);
		assertThat(this.store.logout(RefreshTokenStoreContractTests.changedAt(laptop, 90)).block(Duration.ofSeconds(5)))
			.isEqualTo(Logout.unknown());
		assertThat(this.store.logout(laptop).block(Duration.ofSeconds(5)).outcome())
			.isEqualTo(Logout.Outcome.LOGGED_OUT);
	}

	@Test
	void rotateWhenPredecessorOfThePreviousFormatRetriedWithinGraceThenTheSuccessorItWasGiven() {
		String salt = this.codec.successorSalt();
		String predecessor = previousFormatSession("alice", 1, salt);
		String successor = legacySuccessor(predecessor, salt);

		Rotation retry = RefreshTokenStoreContractTests.rotate(this.store, predecessor);

		assertThat(retry.outcome()).isEqualTo(Outcome.RETRIED);
		assertThat(retry.token().value()).isEqualTo(successor);
		assertThat(RefreshTokenStoreContractTests.rotate(this.store, successor).outcome()).isEqualTo(Outcome.ROTATED);
	}

	/**
	 * Writes a session as the previous format did, by hand: its token of generation 0
	 * and, when {@code generation} is 1, a rotation of that token (just now, with
	 * {@code salt}) as well; returns the token of generation 0.
	 */
	private String previousFormatSession(String userId, int generation, String salt) {
		String sessionId = this.codec.newSessionId();
		String key = this.codec.newTagKey();
		byte[] nonce = new byte[32];
		new java.security.SecureRandom().nextBytes(nonce);
		String token = legacyToken(sessionId, key, 0, nonce);
		long now = this.clock.millis();
		String family = RedisKeys.session(sessionId);
		redis.command("HSET", family, "user", userId, "roles", "user", "createdAt", Long.toString(now),
				"lastRefreshedAt", Long.toString(now), "familyExpiresAt", Long.toString(now + 3_600_000), "gen", "0",
				"current", this.codec.hash(nonce), "currentExpiresAt", Long.toString(now + 600_000), "key", key);
		if (generation == 1) {
			byte[] next = this.codec.successor(this.codec.parse(token), salt).nonce();
			redis.command("HSET", family, "gen", "1", "current", this.codec.hash(next), "previous",
					this.codec.hash(nonce), "rotatedAt", Long.toString(now), "successor", salt);
		}
		redis.command("PEXPIRE", family, "600000");
		redis.command("ZADD", RedisKeys.userIndex(userId), Long.toString(now), sessionId);
		return token;
	}

	/**
	 * The token the previous format handed out for {@code predecessor}'s rotation with
	 * {@code salt}.
	 */
	private String legacySuccessor(String predecessor, String salt) {
		RefreshTokenCodec.Parsed parsed = this.codec.parse(predecessor);
		String key = redis.command("HGET", RedisKeys.session(parsed.sessionId()), "key");
		return legacyToken(parsed.sessionId(), key, 1, this.codec.successor(parsed, salt).nonce());
	}

	/**
	 * A token of the previous format: its tag HMAC-SHA256 under the session's key over
	 * family, generation, nonce.
	 */
	private static String legacyToken(String sessionId, String key, int generation, byte[] nonce) {
		try {
			javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
			mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getUrlDecoder().decode(key), "HmacSHA256"));
			mac.update(sessionId.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			mac.update(java.nio.ByteBuffer.allocate(4).putInt(generation).array());
			byte[] tag = java.util.Arrays.copyOf(mac.doFinal(nonce), 16);
			byte[] secret = java.nio.ByteBuffer.allocate(52).putInt(generation).put(nonce).put(tag).array();
			return sessionId + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void assertUnavailableWithin(Mono<?> operation, Duration limit) {
		long start = System.nanoTime();
		StepVerifier.create(operation).expectError(StoreUnavailableException.class).verify(limit.plusSeconds(2));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(limit);
	}

	private IssuedRefreshToken awaitCreate(Duration limit) {
		return Awaitility.await("store available again")
			.atMost(limit)
			.pollInterval(Duration.ofMillis(100))
			.ignoreException(StoreUnavailableException.class)
			.until(() -> RefreshTokenStoreContractTests.create(this.store, "alice", List.of()), Objects::nonNull);
	}

	private static long memoryUsage(String key) {
		return Long.parseLong(redis.command("MEMORY", "USAGE", key, "SAMPLES", "0"));
	}

	private static List<String> keys() {
		return connection.template()
			.scan(ScanOptions.scanOptions().count(100).build())
			.collectList()
			.block(Duration.ofSeconds(5));
	}

	/**
	 * Every key with its contents, as the values Redis holds and as the serialized form
	 * DUMP exports.
	 */
	private static String dumpAll() {
		StringBuilder contents = new StringBuilder();
		for (String key : keys()) {
			contents.append(key).append('\n');
			String type = redis.command("TYPE", key);
			switch (type) {
				case "hash" -> contents.append(redis.command("HGETALL", key));
				case "zset" -> contents.append(redis.command("ZRANGE", key, "0", "-1", "WITHSCORES"));
				case "string" -> contents.append(redis.command("GET", key));
				default -> throw new AssertionError("unexpected " + type + " at " + key);
			}
			contents.append('\n').append(redis.command("DUMP", key)).append('\n');
		}
		return contents.toString();
	}

}
