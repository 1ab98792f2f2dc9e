package dev.tollgate.routes.autoconfigure;

import java.time.Clock;

import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.client.ClientBindingResolver;
import dev.tollgate.routes.dpop.TokenEndpointProof;
import dev.tollgate.routes.http.BodyReader;
import dev.tollgate.routes.http.TokenResponses;
import dev.tollgate.routes.login.InMemoryLoginGuard;
import dev.tollgate.routes.login.IssueTokensGatewayFilterFactory;
import dev.tollgate.routes.login.LoginGuard;
import dev.tollgate.routes.login.RedisLoginGuard;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.token.autoconfigure.TollgateTokenAutoConfiguration;
import dev.tollgate.token.error.ProblemResponseWriter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Login: the {@code IssueTokens} route filter and the guard that counts failed logins
 * ({@code tollgate.login.*}), in the store {@code tollgate.store} chooses; none with
 * {@code tollgate.login.protection.enabled=false}. Every bean can be replaced.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class, before = GatewayAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ LoginProperties.class, RefreshTokenProperties.class, RedisStoreProperties.class })
public class TollgateLoginAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IssueTokensGatewayFilterFactory issueTokensGatewayFilterFactory(RefreshTokenStore store, TokenResponses responses,
			ProblemResponseWriter writer, AuthEvents events, ClientAddressResolver clients, BodyReader bodies,
			LoginProperties login, RefreshTokenProperties refreshToken, LoginGuard guard,
			ClientBindingResolver bindings, TokenEndpointProof proof) {
		return new IssueTokensGatewayFilterFactory(store, responses, writer, events, clients, bodies, login.settings(),
				refreshToken.cookie().settings(), guard, bindings, proof);
	}

	/** Failed logins counted in this process, for the memory store (one instance). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "tollgate.store", havingValue = "memory")
	static class InMemoryGuardConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LoginGuard tollgateLoginGuard(LoginProperties login, Clock clock) {
			return login.protection().enabled() ? new InMemoryLoginGuard(login.limits(), clock) : LoginGuard.NONE;
		}

	}

	/** Failed logins counted in Redis, shared by every instance (the default store). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "tollgate.store", havingValue = "redis", matchIfMissing = true)
	static class RedisGuardConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LoginGuard tollgateLoginGuard(LoginProperties login, RedisStoreProperties redis, Clock clock,
				ReactiveRedisConnectionFactory connectionFactory, ObjectProvider<StoreTimer> timer) {
			return login.protection().enabled()
					? new RedisLoginGuard(new ReactiveStringRedisTemplate(connectionFactory), login.limits(), clock,
							redis.timeout(), timer.getIfAvailable(() -> StoreTimer.NONE))
					: LoginGuard.NONE;
		}

	}

}
