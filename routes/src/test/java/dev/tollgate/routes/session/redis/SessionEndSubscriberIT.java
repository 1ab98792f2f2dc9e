package dev.tollgate.routes.session.redis;

import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.client.BindingSettings;
import dev.tollgate.routes.session.EndedSessions;
import dev.tollgate.routes.session.IssuedRefreshToken;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.SessionEndListener;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.test.MutableClock;
import dev.tollgate.test.TestRedis;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How an instance learns of the sessions other instances end, on a real Redis: by the
 * marker when it starts, by pub/sub while it runs, and by the markers again after its
 * connection was cut (a message sent meanwhile is lost).
 */
class SessionEndSubscriberIT {

	private static final Duration REVOCATION_TTL = Duration.ofMinutes(16);

	private final MutableClock clock = MutableClock.startingNow();

	private TestRedis redis;

	private ClientResources resources;

	private LettuceConnectionFactory factory;

	private SessionEndSubscriber subscriber;

	/** This instance's view. */
	private EndedSessions revoked;

	/**
	 * Another instance's store on the same Redis: it does not tell {@link #revoked}
	 * directly.
	 */
	private RefreshTokenStore otherInstance;

	@BeforeEach
	void start() {
		this.redis = TestRedis.start();
		this.resources = DefaultClientResources.create();
		this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", this.redis.port()),
				LettuceClientConfiguration.builder()
					.clientResources(this.resources)
					.commandTimeout(Duration.ofSeconds(2))
					.build());
		this.factory.afterPropertiesSet();
		this.factory.start();
		this.revoked = new EndedSessions(this.clock, REVOCATION_TTL);
		this.otherInstance = new RedisRefreshTokenStore(new RefreshTokenCodec(),
				new SessionSettings(Duration.ofDays(7), Duration.ofDays(30), Duration.ZERO, 50, BindingSettings.OFF),
				this.clock, new ReactiveStringRedisTemplate(this.factory), new RedisRefreshTokenStore.Options(
						Duration.ofSeconds(2), REVOCATION_TTL, StoreTimer.NONE, SessionEndListener.NONE));
	}

	@AfterEach
	void stop() {
		if (this.subscriber != null) {
			this.subscriber.stop();
		}
		this.factory.destroy();
		this.resources.shutdown();
		this.redis.close();
	}

	@Test
	void startWhenSessionsEndedBeforeThenRevokedOnceStartReturns() {
		IssuedRefreshToken ended = login("alice");
		IssuedRefreshToken live = login("alice");
		this.otherInstance.logout(ended.value()).block(Duration.ofSeconds(5));

		startSubscriber();

		assertThat(this.subscriber.hasLoaded()).isTrue();
		assertThat(this.revoked.isRevoked(ended.session().id())).isTrue();
		assertThat(this.revoked.isRevoked(live.session().id())).isFalse();
	}

	@Test
	void revokeWhenAnotherInstanceEndsASessionThenRevokedHereWithinASecond() {
		startSubscriber();
		IssuedRefreshToken token = login("alice");

		this.otherInstance.endAll("alice", "operator").block(Duration.ofSeconds(5));

		Awaitility.await()
			.atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> this.revoked.isRevoked(token.session().id()));
	}

	@Test
	void reconnectWhenAMessageWasMissedThenTheMarkerReloaded() {
		startSubscriber();
		// a revocation whose message this instance never gets: the marker alone
		long until = this.clock.millis() + REVOCATION_TTL.toMillis();
		this.redis.command("SET", "tollgate:rt:{AAAAAAAAAAAAAAAAAAAAAA}:revoked", Long.toString(until), "PX", "60000");
		assertThat(this.revoked.isRevoked("AAAAAAAAAAAAAAAAAAAAAA")).isFalse();

		assertThat(Long.parseLong(this.redis.command("CLIENT", "KILL", "TYPE", "pubsub"))).isPositive();

		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> this.revoked.isRevoked("AAAAAAAAAAAAAAAAAAAAAA"));
		// and the subscription is back: a later revocation still arrives by message
		IssuedRefreshToken token = login("bob");
		this.otherInstance.logout(token.value()).block(Duration.ofSeconds(5));
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> this.revoked.isRevoked(token.session().id()));
	}

	@Test
	void startWhenRedisDoesNotAnswerThenStartsAndCatchesUpWhenItDoes() {
		IssuedRefreshToken ended = login("alice");
		this.otherInstance.logout(ended.value()).block(Duration.ofSeconds(5));
		this.redis.command("CLIENT", "PAUSE", "8000", "ALL");

		long start = System.nanoTime();
		startSubscriber();
		Duration startTook = Duration.ofNanos(System.nanoTime() - start);

		assertThat(startTook).isBetween(Duration.ofSeconds(SessionEndSubscriber.START_WAIT_SECONDS),
				Duration.ofSeconds(SessionEndSubscriber.START_WAIT_SECONDS + 2));
		assertThat(this.revoked.isRevoked(ended.session().id())).isFalse();
		assertThat(this.subscriber.hasLoaded()).as("not ready while the revocations are unknown").isFalse();
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.revoked.isRevoked(ended.session().id()));
		assertThat(this.subscriber.hasLoaded()).isTrue();
	}

	private void startSubscriber() {
		this.subscriber = new SessionEndSubscriber(new ReactiveStringRedisTemplate(this.factory),
				() -> new ReactiveRedisMessageListenerContainer(this.factory), this.resources, this.revoked,
				StoreTimer.NONE);
		this.subscriber.start();
	}

	private IssuedRefreshToken login(String userId) {
		return this.otherInstance.create(userId, List.of()).block(Duration.ofSeconds(5));
	}

}
