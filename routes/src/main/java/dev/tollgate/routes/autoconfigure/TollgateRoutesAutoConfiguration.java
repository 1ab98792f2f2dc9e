package dev.tollgate.routes.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.client.ClientBindingResolver;
import dev.tollgate.routes.endpoint.AuthEndpoints;
import dev.tollgate.routes.endpoint.EndpointCorsFilter;
import dev.tollgate.routes.endpoint.JwksEndpoint;
import dev.tollgate.routes.endpoint.LoginPreflightFilter;
import dev.tollgate.routes.endpoint.SessionEndpoints;
import dev.tollgate.routes.endpoint.SessionsActuatorEndpoint;
import dev.tollgate.routes.filter.RefreshCookieHeadersFilter;
import dev.tollgate.routes.filter.RequireRolesGatewayFilterFactory;
import dev.tollgate.routes.filter.UserOrAddressKeyResolver;
import dev.tollgate.routes.health.EndedSessionsReadinessIndicator;
import dev.tollgate.routes.health.StoreHealthIndicator;
import dev.tollgate.routes.http.BodyReader;
import dev.tollgate.routes.http.TokenResponses;
import dev.tollgate.routes.login.InMemoryLoginGuard;
import dev.tollgate.routes.login.IssueTokensGatewayFilterFactory;
import dev.tollgate.routes.login.LoginGuard;
import dev.tollgate.routes.login.RedisLoginGuard;
import dev.tollgate.routes.observe.AuditLog;
import dev.tollgate.routes.observe.AuthCounters;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.observe.MicrometerAuthCounters;
import dev.tollgate.routes.observe.MicrometerStoreTimer;
import dev.tollgate.routes.session.EndedSessions;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.SessionEndListener;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.memory.InMemoryRefreshTokenStore;
import dev.tollgate.routes.session.redis.RedisRefreshTokenStore;
import dev.tollgate.routes.session.redis.ReplicatedWrites;
import dev.tollgate.routes.session.redis.SessionEndSubscriber;
import dev.tollgate.token.config.TokenProperties;
import dev.tollgate.token.config.TollgateConfigurationException;
import dev.tollgate.token.config.TollgateTokenAutoConfiguration;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.SigningKeys;
import dev.tollgate.token.observe.AccessObserver;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.health.application.ReadinessStateHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The gateway-owned endpoints (refresh, logout, JWK Set, at {@code tollgate.endpoints.*}), the route filters
 * {@code IssueTokens} and {@code RequireRoles}, and the refresh-token store chosen by {@code tollgate.store}.
 * Off with {@code tollgate.enabled=false}. Every bean can be replaced.
 */
// before the gateway's, so that its principal-name KeyResolver (useless without Spring Security) steps back
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class, before = GatewayAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		beforeName = { "org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration",
				"org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ StoreProperties.class, RefreshTokenProperties.class, LoginProperties.class,
		EndpointsProperties.class, RedisStoreProperties.class, OperatorProperties.class })
public class TollgateRoutesAutoConfiguration {

	TollgateRoutesAutoConfiguration(RefreshTokenProperties refreshToken, EndpointsProperties endpoints) {
		CookiePath.check(refreshToken.cookie(), endpoints);
	}

	@Bean
	@ConditionalOnMissingBean
	AuditLog tollgateAuditLog(ApplicationEventPublisher publisher) {
		return new AuditLog(publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	AuthEvents tollgateAuthEvents(AuditLog audit, ObjectProvider<AuthCounters> counters) {
		return new AuthEvents(audit, counters.getIfAvailable(() -> AuthCounters.NONE));
	}

	/** Ended sessions, in memory: what the access check consults (a token-filter SessionRevocations). */
	@Bean
	@ConditionalOnMissingBean
	EndedSessions tollgateRevokedSessions(TokenProperties tokens, Clock clock) {
		return new EndedSessions(clock, endedRetention(tokens));
	}

	/** How long an ended session's access tokens can still turn up: their lifetime plus the clock skew. */
	static Duration endedRetention(TokenProperties tokens) {
		return tokens.accessToken().ttl().plus(tokens.accessToken().clockSkew());
	}

	/** Told of every session this instance ends: the local revocations first, then the audit. */
	static SessionEndListener sessionEndListener(EndedSessions revoked, AuthEvents events) {
		return revoked.andThen(events);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionEndpoints tollgateSessionEndpoints(AccessTokenAuthenticator authenticator, RefreshTokenStore store,
			ProblemResponseWriter writer) {
		return new SessionEndpoints(authenticator, store, writer);
	}

	@Bean
	@ConditionalOnMissingBean
	ClientBindingResolver tollgateClientFactsResolver(RefreshTokenProperties refreshToken,
			ClientAddressResolver clients) {
		return new ClientBindingResolver(refreshToken.binding().settings(), clients);
	}

	@Bean
	@ConditionalOnMissingBean
	ClientAddressResolver tollgateClientAddressResolver(TokenProperties properties) {
		return new ClientAddressResolver(properties.clientAddress().trustedProxies(),
				properties.clientAddress().forwardedHeader());
	}

	@Bean
	@ConditionalOnMissingBean
	ForwardedHeadersWarning tollgateForwardedHeadersWarning(Environment environment, TokenProperties properties) {
		return new ForwardedHeadersWarning(environment, properties.clientAddress().trustedProxies());
	}

	@Bean
	@ConditionalOnMissingBean
	RefreshTokenCodec tollgateRefreshTokenCodec() {
		return new RefreshTokenCodec();
	}

	@Bean
	@ConditionalOnMissingBean
	TokenResponses tollgateTokenResponses(AccessTokenIssuer issuer, RefreshTokenProperties refreshToken, Clock clock) {
		return new TokenResponses(issuer, refreshToken.cookie().settings(), clock);
	}

	@Bean
	@ConditionalOnMissingBean
	BodyReader tollgateBodyReader(TokenProperties properties) {
		return new BodyReader(properties.http().bodyTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	RequireRolesGatewayFilterFactory requireRolesGatewayFilterFactory(ProblemResponseWriter writer,
			ObjectProvider<AccessObserver> observer) {
		return new RequireRolesGatewayFilterFactory(writer, observer.getIfAvailable(() -> AccessObserver.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	IssueTokensGatewayFilterFactory issueTokensGatewayFilterFactory(RefreshTokenStore store,
			TokenResponses responses, ProblemResponseWriter writer, AuthEvents events, ClientAddressResolver clients,
			BodyReader bodies, LoginProperties login, RefreshTokenProperties refreshToken, LoginGuard guard,
			ClientBindingResolver facts) {
		return new IssueTokensGatewayFilterFactory(store, responses, writer, events, clients, bodies,
				login.settings(), refreshToken.cookie().settings(), guard, facts);
	}

	@Bean
	@ConditionalOnMissingBean(KeyResolver.class)
	UserOrAddressKeyResolver tollgateKeyResolver(ClientAddressResolver clients) {
		return new UserOrAddressKeyResolver(clients);
	}

	@Bean
	@ConditionalOnMissingBean
	AuthEndpoints tollgateAuthEndpoints(RefreshTokenStore store, TokenResponses responses,
			ProblemResponseWriter writer, AuthEvents events, ClientAddressResolver clients,
			RefreshTokenProperties refreshToken, BodyReader bodies, ClientBindingResolver facts) {
		return new AuthEndpoints(store, responses, writer, events, clients, refreshToken.cookie().settings(),
				bodies, facts);
	}

	@Bean
	@ConditionalOnMissingBean
	JwksEndpoint tollgateJwksEndpoint(SigningKeys keys) {
		return new JwksEndpoint(keys);
	}

	@Bean
	RouterFunction<ServerResponse> tollgateAuthRoutes(AuthEndpoints auth, JwksEndpoint jwks,
			SessionEndpoints sessions, EndpointsProperties paths) {
		return RouterFunctions.route(RequestPredicates.POST(paths.refreshPath()), auth::refresh)
			.andRoute(RequestPredicates.POST(paths.logoutPath()), auth::logout)
			.andRoute(RequestPredicates.GET(paths.jwksPath()), jwks::jwks)
			.andRoute(RequestPredicates.GET(paths.sessionsPath()), sessions::list)
			.andRoute(RequestPredicates.DELETE(paths.sessionsPath() + "/{id}"), sessions::end);
	}

	@Bean
	@ConditionalOnMissingBean
	EndpointCorsFilter tollgateEndpointCorsFilter(EndpointsProperties paths,
			ObjectProvider<GlobalCorsProperties> cors) {
		return new EndpointCorsFilter(paths.all(), paths.sessionsPath(), cors.getIfAvailable(GlobalCorsProperties::new));
	}

	/** Pre-flights to the routes carrying IssueTokens, answered from globalcors whatever the routes' methods. */
	@Bean
	@ConditionalOnMissingBean
	LoginPreflightFilter tollgateLoginPreflightFilter(RouteLocator routes, ObjectProvider<GlobalCorsProperties> cors) {
		return new LoginPreflightFilter(routes, cors.getIfAvailable(GlobalCorsProperties::new));
	}

	/** The refresh cookie, removed from every proxied request, in cookie mode and out of it. */
	@Bean
	@ConditionalOnMissingBean
	RefreshCookieHeadersFilter tollgateRefreshCookieHeadersFilter(RefreshTokenProperties refreshToken) {
		return new RefreshCookieHeadersFilter(refreshToken.cookie().name());
	}

	@Bean
	RouteChecks tollgateRouteChecks(ObjectProvider<GatewayProperties> gateway, ConfigurationService configuration,
			RequireRolesGatewayFilterFactory requireRoles, EndpointsProperties endpoints) {
		return new RouteChecks(gateway.getIfAvailable(GatewayProperties::new), configuration, requireRoles,
				endpoints);
	}

	@Bean
	StartupSummary tollgateStartupSummary(TokenProperties tokens, SigningKeys keys, StoreProperties store,
			EndpointsProperties endpoints) {
		return new StartupSummary(tokens, keys, store, endpoints);
	}

	/** Login, refresh, logout and store metrics, when the application has a Micrometer registry. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MeterRegistry.class)
		AuthCounters tollgateAuthCounters(MeterRegistry registry) {
			return new MicrometerAuthCounters(registry);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MeterRegistry.class)
		StoreTimer tollgateStoreTimer(MeterRegistry registry) {
			return new MicrometerStoreTimer(registry);
		}

		/** {@code tollgate.sessions.revoked}: the ended sessions this instance holds (see {@link EndedSessions}). */
		@Bean
		@ConditionalOnMissingBean(name = "tollgateRevokedSessionsMetrics")
		MeterBinder tollgateRevokedSessionsMetrics(EndedSessions revoked) {
			return (registry) -> Gauge.builder("tollgate.sessions.revoked", revoked, EndedSessions::size)
				.description("Ended sessions held in memory until their access tokens have expired")
				.register(registry);
		}

	}

	/** The operators' {@code tollgate} Actuator endpoint, when the application has Actuator. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class ActuatorConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionsActuatorEndpoint tollgateSessionsActuatorEndpoint(RefreshTokenStore store, AuthEvents events) {
			return new SessionsActuatorEndpoint(store, events);
		}

	}

	/**
	 * Readiness that also waits for the revocations of the Redis store to load once (see
	 * {@link EndedSessionsReadinessIndicator}): it takes the place of Spring Boot's {@code readinessStateHealthIndicator},
	 * under the same name and conditions, so the readiness probe group needs no change. A bean of that name of the
	 * application's own wins.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReadinessStateHealthIndicator.class)
	static class ReadinessConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "readinessStateHealthIndicator")
		@ConditionalOnBooleanProperty(name = "management.health.readinessstate.enabled", matchIfMissing = true)
		EndedSessionsReadinessIndicator readinessStateHealthIndicator(ApplicationAvailability availability,
				ObjectProvider<SessionEndSubscriber> revocations) {
			SessionEndSubscriber subscriber = revocations.getIfAvailable();
			return new EndedSessionsReadinessIndicator(availability, (subscriber != null) ? subscriber::hasLoaded : () -> true);
		}

	}

	/** The {@code tollgateStore} health component, when the application has Spring Boot's health support. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveHealthIndicator.class)
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "tollgateStoreHealthIndicator")
		StoreHealthIndicator tollgateStoreHealthIndicator(RefreshTokenStore store, StoreProperties properties) {
			return new StoreHealthIndicator(store, properties.store());
		}

	}

	/** {@code tollgate.store=memory}: one instance only; sessions die with the process. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "tollgate.store", havingValue = "memory")
	static class InMemoryStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RefreshTokenStore tollgateRefreshTokenStore(RefreshTokenCodec codec, RefreshTokenProperties refreshToken,
				Clock clock, ObjectProvider<StoreTimer> timer, EndedSessions revoked, AuthEvents events) {
			return new InMemoryRefreshTokenStore(codec, refreshToken.settings(), clock,
					timer.getIfAvailable(() -> StoreTimer.NONE), sessionEndListener(revoked, events));
		}

		@Bean
		@ConditionalOnMissingBean
		LoginGuard tollgateLoginGuard(LoginProperties login, Clock clock) {
			return login.protection().enabled()
					? new InMemoryLoginGuard(login.limits(), clock) : LoginGuard.NONE;
		}

	}

	/** {@code tollgate.store=redis} (default): Spring Boot's Redis connection, shared by all instances. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "tollgate.store", havingValue = "redis", matchIfMissing = true)
	static class RedisStoreConfiguration {

		/**
		 * Lettuce backs off up to 30 s between reconnect attempts, so after a long outage login and refresh would
		 * keep answering 503 for up to 30 s after Redis is back. Capped at 1 s. Replace the bean (same name) to
		 * choose another policy.
		 */
		@Bean
		@ConditionalOnMissingBean(name = "tollgateRedisReconnectDelay")
		ClientResourcesBuilderCustomizer tollgateRedisReconnectDelay() {
			return (builder) -> builder
				.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
		}

		/**
		 * Lettuce waits 60 s for a command by default, so a stalled Redis would queue every login and refresh for a
		 * minute behind the first one: unless {@code spring.data.redis.timeout} says otherwise, its command timeout
		 * is {@code tollgate.redis.timeout}.
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
		 * On a Redis Cluster, Lettuce never learns of a fail-over unless its topology refresh is on, which Spring Boot
		 * leaves off: the sessions of a dead master's slots would answer 503 until a restart. Unless the operator set
		 * {@code spring.data.redis.lettuce.cluster.refresh.*}, turns on adaptive and periodic refresh (see
		 * {@link ClusterTopologyRefresh}). Nothing changes for a standalone or Sentinel Redis. Replace the bean (same
		 * name) to choose otherwise.
		 */
		@Bean
		@ConditionalOnMissingBean(name = "tollgateRedisClusterTopologyRefresh")
		LettuceClientOptionsBuilderCustomizer tollgateRedisClusterTopologyRefresh(Environment environment) {
			return new ClusterTopologyRefresh(environment);
		}

		/**
		 * With {@code tollgate.redis.wait-replicas} above 0: its own Lettuce connections (of Spring Boot's client) on
		 * which each session write is followed by {@code WAIT}; {@link ReplicatedWrites#NONE} otherwise.
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
					timer.getIfAvailable(() -> StoreTimer.NONE)).start();
		}

		@Bean
		@ConditionalOnMissingBean
		RefreshTokenStore tollgateRefreshTokenStore(RefreshTokenCodec codec, RefreshTokenProperties refreshToken,
				RedisStoreProperties redis,
				Clock clock, ReactiveRedisConnectionFactory connectionFactory, SigningKeys keys,
				TokenProperties tokens, ObjectProvider<StoreTimer> timer, EndedSessions revoked, AuthEvents events,
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
					new RedisRefreshTokenStore.Options(redis.timeout(), endedRetention(tokens),
							timer.getIfAvailable(() -> StoreTimer.NONE), sessionEndListener(revoked, events),
							tollgateReplicatedWrites));
		}

		@Bean
		@ConditionalOnMissingBean
		LoginGuard tollgateLoginGuard(LoginProperties login, RedisStoreProperties redis, Clock clock,
				ReactiveRedisConnectionFactory connectionFactory, ObjectProvider<StoreTimer> timer) {
			return login.protection().enabled()
					? new RedisLoginGuard(new ReactiveStringRedisTemplate(connectionFactory),
							login.limits(), clock, redis.timeout(),
							timer.getIfAvailable(() -> StoreTimer.NONE))
					: LoginGuard.NONE;
		}

		@Bean
		@ConditionalOnMissingBean
		SessionEndSubscriber tollgateRevocationSubscriber(ReactiveRedisConnectionFactory connectionFactory,
				ObjectProvider<ClientResources> clientResources, EndedSessions revoked,
				ObjectProvider<StoreTimer> timer) {
			return new SessionEndSubscriber(new ReactiveStringRedisTemplate(connectionFactory),
					() -> new ReactiveRedisMessageListenerContainer(connectionFactory), clientResources.getIfAvailable(),
					revoked,
					timer.getIfAvailable(() -> StoreTimer.NONE));
		}

	}

}
