package dev.tollgate.routes.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.session.EndedSessions;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.redis.RedisDpopReplayGuard;
import dev.tollgate.routes.session.redis.RedisRefreshTokenStore;
import dev.tollgate.routes.session.redis.ReplicatedWrites;
import dev.tollgate.routes.session.redis.SessionEndSubscriber;
import dev.tollgate.token.autoconfigure.TokenProperties;
import dev.tollgate.token.autoconfigure.TollgateConfigurationException;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.jwt.SigningKeys;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/**
 * {@code tollgate.store=redis} (default): Spring Boot's Redis connection, shared by all
 * instances, with the Lettuce settings a session store needs, its {@code WAIT}
 * connections, the subscription to the sessions other instances end, and the DPoP replay
 * guard every instance shares (in place of token-filter's in-memory one).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tollgate.store", havingValue = "redis", matchIfMissing = true)
class RedisSessionStoreConfiguration {

	/**
	 * Lettuce backs off up to 30 s between reconnect attempts, so after a long outage
	 * login and refresh would keep answering 503 for up to 30 s after Redis is back.
	 * Capped at 1 s. Replace the bean (same name) to choose another policy.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "tollgateRedisReconnectDelay")
	ClientResourcesBuilderCustomizer tollgateRedisReconnectDelay() {
		return (builder) -> builder
			.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
	}

	/**
	 * Lettuce waits 60 s for a command by default, so a stalled Redis would queue every
	 * login and refresh for a minute behind the first one: unless
	 * {@code spring.data.redis.timeout} says otherwise, its command timeout is
	 * {@code tollgate.redis.timeout}.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "tollgateRedisCommandTimeout")
	LettuceClientConfigurationBuilderCustomizer tollgateRedisCommandTimeout(RedisStoreProperties properties,
			ObjectProvider<DataRedisProperties> redis) {
		return (builder) -> {
			DataRedisProperties spring = redis.getIfAvailable();
			if (spring == null || spring.getTimeout() == null) {
				builder.commandTimeout(properties.timeout());
			}
		};
	}

	/**
	 * On a Redis Cluster, Lettuce never learns of a fail-over unless its topology refresh
	 * is on, which Spring Boot leaves off: the sessions of a dead master's slots would
	 * answer 503 until a restart. Unless the operator set
	 * {@code spring.data.redis.lettuce.cluster.refresh.*}, turns on adaptive and periodic
	 * refresh (see {@link ClusterTopologyRefresh}). Nothing changes for a standalone or
	 * Sentinel Redis. Replace the bean (same name) to choose otherwise.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "tollgateRedisClusterTopologyRefresh")
	LettuceClientOptionsBuilderCustomizer tollgateRedisClusterTopologyRefresh(Environment environment) {
		return new ClusterTopologyRefresh(environment);
	}

	/**
	 * With {@code tollgate.redis.wait-replicas} above 0: its own Lettuce connections (of
	 * Spring Boot's client) on which each session write is followed by {@code WAIT};
	 * {@link ReplicatedWrites#NONE} otherwise.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ReplicatedWrites tollgateReplicatedWrites(RedisStoreProperties redis,
			ReactiveRedisConnectionFactory connectionFactory, ObjectProvider<StoreTimer> timer) {
		if (redis.waitReplicas() == 0) {
			return ReplicatedWrites.NONE;
		}
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new TollgateConfigurationException("tollgate.redis.wait-replicas",
					"is " + redis.waitReplicas() + " but the Redis client is not Lettuce",
					"use Spring Boot's default Lettuce client, or set tollgate.redis.wait-replicas to 0");
		}
		return new ReplicatedWrites(lettuce::getRequiredNativeClient, redis.waitReplicas(), redis.waitTimeout(),
				timer.getIfAvailable(() -> StoreTimer.NONE))
			.start();
	}

	/**
	 * Refuses ephemeral keys unless allowed: a second instance could not verify the first
	 * one's tokens.
	 */
	@Bean
	@ConditionalOnMissingBean
	RefreshTokenStore tollgateRefreshTokenStore(RefreshTokenCodec codec, RefreshTokenProperties refreshToken,
			RedisStoreProperties redis, Clock clock, ReactiveRedisConnectionFactory connectionFactory, SigningKeys keys,
			TokenProperties tokens, ObjectProvider<StoreTimer> timer, EndedSessions ended, AuthEvents events,
			ReplicatedWrites tollgateReplicatedWrites) {
		if (keys.isEphemeral() && !tokens.signing().ephemeralKeysAllowed()) {
			throw new TollgateConfigurationException("tollgate.signing.keys",
					"is empty while the Redis store is shared by several instances: each would sign with its own "
							+ "ephemeral key and refuse the others' tokens",
					"configure tollgate.signing.keys[0].private-key (or tollgate.signing.secret for HS256); for a "
							+ "single instance only, tollgate.signing.ephemeral-keys-allowed=true");
		}
		return new RedisRefreshTokenStore(codec, refreshToken.settings(), clock,
				new ReactiveStringRedisTemplate(connectionFactory),
				new RedisRefreshTokenStore.Options(redis.timeout(),
						TollgateSessionsAutoConfiguration.endedRetention(tokens),
						timer.getIfAvailable(() -> StoreTimer.NONE),
						TollgateSessionsAutoConfiguration.sessionEndListener(ended, events), tollgateReplicatedWrites));
	}

	/**
	 * The DPoP replay check of login and refresh (and of the access path with
	 * {@code tollgate.dpop.access-replay: shared}), shared by every instance: a proof
	 * used on one instance is refused on all (RFC 9449 §11.1). Registered before
	 * token-filter's DPoP auto-configuration, whose in-memory guard then stays out.
	 */
	@Bean
	@ConditionalOnMissingBean
	DpopReplayGuard tollgateDpopReplayGuard(ReactiveRedisConnectionFactory connectionFactory, DpopSettings dpop,
			RedisStoreProperties redis, ObjectProvider<StoreTimer> timer) {
		return new RedisDpopReplayGuard(new ReactiveStringRedisTemplate(connectionFactory), dpop.replayTtl(),
				redis.timeout(), timer.getIfAvailable(() -> StoreTimer.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	SessionEndSubscriber tollgateRevocationSubscriber(ReactiveRedisConnectionFactory connectionFactory,
			ObjectProvider<ClientResources> clientResources, EndedSessions ended, ObjectProvider<StoreTimer> timer) {
		return new SessionEndSubscriber(new ReactiveStringRedisTemplate(connectionFactory),
				() -> new ReactiveRedisMessageListenerContainer(connectionFactory), clientResources.getIfAvailable(),
				ended, timer.getIfAvailable(() -> StoreTimer.NONE));
	}

}
