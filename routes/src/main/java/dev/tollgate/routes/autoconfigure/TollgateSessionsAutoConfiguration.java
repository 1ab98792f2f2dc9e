package dev.tollgate.routes.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.session.EndedSessions;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.SessionEndListener;
import dev.tollgate.token.autoconfigure.TokenProperties;
import dev.tollgate.token.autoconfigure.TollgateDpopAutoConfiguration;
import dev.tollgate.token.autoconfigure.TollgateTokenAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Sessions: the refresh-token codec, the ended sessions the access check consults, and
 * the store chosen by {@code tollgate.store} ({@link RedisSessionStoreConfiguration}, the
 * default, or {@link InMemorySessionStoreConfiguration}). Before token-filter's DPoP
 * auto-configuration, so that the Redis store's shared DPoP replay guard takes the place
 * of its in-memory default (the memory store keeps that one). Every bean can be replaced.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class,
		before = { TollgateDpopAutoConfiguration.class, GatewayAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ StoreProperties.class, RefreshTokenProperties.class, RedisStoreProperties.class })
@Import({ RedisSessionStoreConfiguration.class, InMemorySessionStoreConfiguration.class })
public class TollgateSessionsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RefreshTokenCodec tollgateRefreshTokenCodec() {
		return new RefreshTokenCodec();
	}

	/**
	 * Ended sessions, in memory: what the access check consults (a token-filter
	 * SessionRevocations).
	 */
	@Bean
	@ConditionalOnMissingBean
	EndedSessions tollgateRevokedSessions(TokenProperties tokens, Clock clock) {
		return new EndedSessions(clock, endedRetention(tokens));
	}

	/**
	 * How long an ended session's access tokens can still turn up: their lifetime plus
	 * the clock skew.
	 */
	static Duration endedRetention(TokenProperties tokens) {
		return tokens.accessToken().ttl().plus(tokens.accessToken().clockSkew());
	}

	/**
	 * Told of every session this instance ends: the local set of ended sessions first,
	 * then the audit.
	 */
	static SessionEndListener sessionEndListener(EndedSessions ended, AuthEvents events) {
		return ended.andThen(events);
	}

}
