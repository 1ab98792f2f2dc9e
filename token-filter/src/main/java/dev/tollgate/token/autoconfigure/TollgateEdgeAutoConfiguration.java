package dev.tollgate.token.autoconfigure;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.UpstreamFailureHandler;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import dev.tollgate.token.filter.AccessTokenGlobalFilter;
import dev.tollgate.token.filter.IdentityHeadersFilter;
import dev.tollgate.token.filter.UpstreamAssertions;
import dev.tollgate.token.firewall.ConnectionGuard;
import dev.tollgate.token.firewall.RequestFirewall;
import dev.tollgate.token.observe.AccessObserver;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The access check at the edge: the {@link RequestFirewall} on every request, the
 * {@link AccessTokenGlobalFilter} on every gateway route, the
 * {@link IdentityHeadersFilter} on what leaves for upstreams, problem+json answers for
 * failed upstreams ({@link UpstreamFailureHandler}), and the {@link ConnectionGuard} on
 * the Netty server. Off with {@code tollgate.enabled=false}; every bean can be replaced.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
public class TollgateEdgeAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RequestFirewall tollgateRequestFirewall(TokenProperties properties, ProblemResponseWriter writer) {
		return new RequestFirewall(properties.clientAddress().trustedProxies(), writer);
	}

	@Bean
	@ConditionalOnMissingBean
	AccessTokenGlobalFilter tollgateAccessTokenGlobalFilter(AccessTokenAuthenticator authenticator,
			ProblemResponseWriter writer, ObjectProvider<AccessObserver> observer) {
		return new AccessTokenGlobalFilter(authenticator, writer, observer.getIfAvailable(() -> AccessObserver.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	IdentityHeadersFilter tollgateIdentityHeadersFilter(ObjectProvider<UpstreamAssertions> assertions) {
		return new IdentityHeadersFilter(assertions.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	UpstreamFailureHandler tollgateUpstreamFailureHandler(ProblemResponseWriter writer) {
		return new UpstreamFailureHandler(writer);
	}

	/**
	 * Framing and header deadlines on the Reactor Netty server, when the application runs
	 * one.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ NettyServerCustomizer.class, HttpServer.class })
	static class ConnectionGuardConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ConnectionGuard tollgateConnectionGuard(TokenProperties properties, ProblemResponseWriter writer) {
			return new ConnectionGuard(properties.http().headerTimeout(), writer);
		}

	}

}
