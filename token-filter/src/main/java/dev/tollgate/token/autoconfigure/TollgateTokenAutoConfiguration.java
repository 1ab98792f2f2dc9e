package dev.tollgate.token.autoconfigure;

import java.time.Clock;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.UpstreamFailureHandler;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import dev.tollgate.token.filter.AccessTokenGlobalFilter;
import dev.tollgate.token.filter.IdentityHeadersFilter;
import dev.tollgate.token.filter.SessionRevocations;
import dev.tollgate.token.firewall.ConnectionGuard;
import dev.tollgate.token.firewall.RequestFirewall;
import dev.tollgate.token.health.SigningKeysHealthIndicator;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.SigningKeys;
import dev.tollgate.token.observe.AccessObserver;
import dev.tollgate.token.observe.MicrometerAccessObserver;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Access tokens and the edge access check: an application that adds {@code token-filter} gets the
 * {@link RequestFirewall} on every request, the {@link AccessTokenGlobalFilter} on every gateway route, the
 * {@link IdentityHeadersFilter} on what leaves for upstreams, problem+json answers for failed upstreams, and the
 * {@link ConnectionGuard} on the Netty server. Every bean can be replaced.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TokenProperties.class)
public class TollgateTokenAutoConfiguration {

	/** The realm of every {@code WWW-Authenticate} challenge. */
	public static final String REALM = "tollgate";

	@Bean
	@ConditionalOnMissingBean
	Clock tollgateClock() {
		return Clock.systemUTC();
	}

	@Bean
	@ConditionalOnMissingBean
	SigningKeys tollgateSigningKeys(TokenProperties properties) {
		return SigningKeysLoader.load(properties.signing());
	}

	@Bean
	@ConditionalOnMissingBean
	AccessTokenIssuer tollgateAccessTokenIssuer(TokenProperties properties, SigningKeys keys, Clock clock) {
		return new AccessTokenIssuer(properties.accessTokenSettings(), keys, clock);
	}

	@Bean
	@ConditionalOnMissingBean
	AccessTokenVerifier tollgateAccessTokenVerifier(TokenProperties properties, SigningKeys keys, Clock clock) {
		return new AccessTokenVerifier(properties.accessTokenSettings(), properties.validatedTokenCacheSettings(), keys,
				clock);
	}

	@Bean
	@ConditionalOnMissingBean
	ProblemResponseWriter tollgateProblemResponseWriter() {
		return new ProblemResponseWriter(REALM);
	}

	@Bean
	@ConditionalOnMissingBean
	AccessTokenAuthenticator tollgateAccessTokenAuthenticator(AccessTokenVerifier verifier,
			ObjectProvider<SessionRevocations> revocations) {
		return new AccessTokenAuthenticator(verifier, revocations.getIfAvailable(() -> SessionRevocations.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	AccessTokenGlobalFilter tollgateAccessTokenGlobalFilter(AccessTokenAuthenticator authenticator,
			ProblemResponseWriter writer, ObjectProvider<AccessObserver> observer) {
		return new AccessTokenGlobalFilter(authenticator, writer, observer.getIfAvailable(() -> AccessObserver.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	RequestFirewall tollgateRequestFirewall(TokenProperties properties, ProblemResponseWriter writer) {
		return new RequestFirewall(properties.clientAddress().trustedProxies(), writer);
	}

	@Bean
	@ConditionalOnMissingBean
	IdentityHeadersFilter tollgateIdentityHeadersFilter() {
		return new IdentityHeadersFilter();
	}

	@Bean
	@ConditionalOnMissingBean
	UpstreamFailureHandler tollgateUpstreamFailureHandler(ProblemResponseWriter writer) {
		return new UpstreamFailureHandler(writer);
	}

	/** Access-check and role-check metrics, when the application has a Micrometer registry. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MeterRegistry.class)
		AccessObserver tollgateAccessObserver(MeterRegistry registry) {
			return new MicrometerAccessObserver(registry);
		}

	}

	/** The {@code tollgate} health component, when the application has Spring Boot's health support. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "tollgateHealthIndicator")
		SigningKeysHealthIndicator tollgateHealthIndicator(SigningKeys keys) {
			return new SigningKeysHealthIndicator(keys);
		}

	}

	/** Framing and header deadlines on the Reactor Netty server, when the application runs one. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ NettyServerCustomizer.class, reactor.netty.http.server.HttpServer.class })
	static class ConnectionGuardConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ConnectionGuard tollgateConnectionGuard(TokenProperties properties, ProblemResponseWriter writer) {
			return new ConnectionGuard(properties.http().headerTimeout(), writer);
		}

	}

}
