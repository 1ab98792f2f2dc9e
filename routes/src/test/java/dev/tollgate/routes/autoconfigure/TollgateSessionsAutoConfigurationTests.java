package dev.tollgate.routes.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.session.EndedSessions;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.memory.InMemoryRefreshTokenStore;
import dev.tollgate.routes.session.redis.RedisDpopReplayGuard;
import dev.tollgate.routes.session.redis.RedisRefreshTokenStore;
import dev.tollgate.routes.session.redis.ReplicatedWrites;
import dev.tollgate.routes.session.redis.SessionEndSubscriber;
import dev.tollgate.test.TestRedis;
import dev.tollgate.token.autoconfigure.TollgateConfigurationException;
import dev.tollgate.token.autoconfigure.TollgateDpopAutoConfiguration;
import dev.tollgate.token.dpop.DpopProof;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.LocalDpopReplayGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TollgateSessionsAutoConfiguration}: the store {@code tollgate.store} chooses,
 * through {@link RedisSessionStoreConfiguration} (on a real Redis) or
 * {@link InMemorySessionStoreConfiguration}.
 */
class TollgateSessionsAutoConfigurationTests {

	private static TestRedis redis;

	@BeforeAll
	static void startRedis() {
		redis = TestRedis.start();
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void storeWhenMemoryThenInMemoryAndNothingOfRedis() {
		RoutesContextRunners.memory().run((context) -> {
			assertThat(context).getBean("tollgateRefreshTokenStore").isInstanceOf(InMemoryRefreshTokenStore.class);
			assertThat(context).getBean("tollgateRefreshTokenCodec").isInstanceOf(RefreshTokenCodec.class);
			assertThat(context).getBean("tollgateRevokedSessions").isInstanceOf(EndedSessions.class);
			assertThat(context).doesNotHaveBean(SessionEndSubscriber.class);
			assertThat(context).doesNotHaveBean(ReplicatedWrites.class);
			assertThat(context).doesNotHaveBean(LettuceClientConfigurationBuilderCustomizer.class);
		});
	}

	@Test
	void storeWhenRedisThenRedisWithItsConnectionSettingsAndSubscription() {
		RoutesContextRunners.redis(redis).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean("tollgateRefreshTokenStore").isInstanceOf(RedisRefreshTokenStore.class);
			assertThat(context).getBean("tollgateRevocationSubscriber").isInstanceOf(SessionEndSubscriber.class);
			assertThat(context.getBean("tollgateReplicatedWrites")).isSameAs(ReplicatedWrites.NONE);
			assertThat(context).getBean("tollgateRedisReconnectDelay")
				.isInstanceOf(ClientResourcesBuilderCustomizer.class);
			assertThat(context).getBean("tollgateRedisCommandTimeout")
				.isInstanceOf(LettuceClientConfigurationBuilderCustomizer.class);
			assertThat(context).getBean("tollgateRedisClusterTopologyRefresh")
				.isInstanceOf(LettuceClientOptionsBuilderCustomizer.class);
			assertThat(context.getBean(SessionEndSubscriber.class).hasLoaded()).isTrue();
		});
	}

	@Test
	void dpopReplayGuardWhenMemoryThenTokenFiltersInMemoryGuard() {
		RoutesContextRunners.memory().run((context) -> {
			assertThat(context).hasSingleBean(DpopReplayGuard.class);
			assertThat(context).getBean(DpopReplayGuard.class).isInstanceOf(LocalDpopReplayGuard.class);
		});
	}

	@Test
	void dpopReplayGuardWhenRedisThenTheSharedGuardInPlaceOfTheInMemoryOne() {
		RoutesContextRunners.redis(redis).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(DpopReplayGuard.class);
			assertThat(context).getBean("tollgateDpopReplayGuard").isInstanceOf(RedisDpopReplayGuard.class);
		});
	}

	/**
	 * The replacement above holds only while the sessions' configuration is processed
	 * before token-filter's DPoP one. By name alone it is ({@code dev.tollgate.routes}
	 * sorts before {@code dev.tollgate.token}), so the context cannot show the explicit
	 * ordering: this says it is there.
	 */
	@Test
	void autoConfigurationWhenOrderedThenBeforeTokenFiltersDpop() {
		assertThat(TollgateSessionsAutoConfiguration.class.getAnnotation(AutoConfiguration.class).before())
			.contains(TollgateDpopAutoConfiguration.class);
	}

	@Test
	void dpopReplayGuardWhenTheApplicationHasOneThenItsOwnWithEitherStore() {
		RoutesContextRunners.redis(redis).withUserConfiguration(OwnReplayGuard.class).run((context) -> {
			assertThat(context).hasSingleBean(DpopReplayGuard.class);
			assertThat(context).getBean(DpopReplayGuard.class).isSameAs(OwnReplayGuard.GUARD);
		});
		RoutesContextRunners.memory().withUserConfiguration(OwnReplayGuard.class).run((context) -> {
			assertThat(context).hasSingleBean(DpopReplayGuard.class);
			assertThat(context).getBean(DpopReplayGuard.class).isSameAs(OwnReplayGuard.GUARD);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnReplayGuard {

		static final DpopReplayGuard GUARD = (DpopProof proof) -> Mono.just(true);

		@Bean
		DpopReplayGuard ownReplayGuard() {
			return GUARD;
		}

	}

	@Test
	void storeWhenRedisAndEphemeralKeysNotAllowedThenStartupFailsNamingTheSigningKeys() {
		RoutesContextRunners.redis(redis)
			.withPropertyValues("tollgate.signing.ephemeral-keys-allowed=false")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(TollgateConfigurationException.class,
						(ex) -> assertThat(ex.key()).isEqualTo("tollgate.signing.keys")));
	}

	@Test
	void storeWhenTheApplicationHasItsOwnThenThatOne() {
		RefreshTokenStore own = new InMemoryRefreshTokenStore(new RefreshTokenCodec(),
				new RefreshTokenProperties(Duration.ofDays(1), Duration.ofDays(2), Duration.ZERO,
						new RefreshTokenProperties.Cookie(false, "__Secure-x", "/auth", List.of()), 5,
						new RefreshTokenProperties.Binding(List.of(), "off", "X-Device-Id"))
					.settings(),
				Clock.systemUTC());
		RoutesContextRunners.memory()
			.withBean("ownStore", RefreshTokenStore.class, () -> own)
			.run((context) -> assertThat(context).getBean(RefreshTokenStore.class).isSameAs(own));
	}

	@Test
	void beansWhenTollgateDisabledThenAbsent() {
		RoutesContextRunners.redis(redis).withPropertyValues("tollgate.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RefreshTokenStore.class);
			assertThat(context).doesNotHaveBean(EndedSessions.class);
			assertThat(context).doesNotHaveBean(SessionEndSubscriber.class);
			assertThat(context).doesNotHaveBean("tollgateRedisCommandTimeout");
		});
	}

}
