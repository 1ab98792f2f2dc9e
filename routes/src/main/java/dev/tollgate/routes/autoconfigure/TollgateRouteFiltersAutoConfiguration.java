package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.filter.RefreshCookieHeadersFilter;
import dev.tollgate.routes.filter.RequireRolesGatewayFilterFactory;
import dev.tollgate.routes.filter.UserOrAddressKeyResolver;
import dev.tollgate.token.autoconfigure.TollgateTokenAutoConfiguration;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.observe.AccessObserver;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.context.annotation.Bean;

/**
 * What Tollgate adds to the gateway's routes: the {@code RequireRoles} route filter, the
 * removal of the refresh cookie from every proxied request, and the
 * {@code RequestRateLimiter} key (the user, else the client's address). Before the
 * gateway's own auto-configuration, so that its principal-name key resolver (useless
 * without Spring Security) steps back. Every bean can be replaced.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class, before = GatewayAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RefreshTokenProperties.class)
public class TollgateRouteFiltersAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RequireRolesGatewayFilterFactory requireRolesGatewayFilterFactory(ProblemResponseWriter writer,
			ObjectProvider<AccessObserver> observer) {
		return new RequireRolesGatewayFilterFactory(writer, observer.getIfAvailable(() -> AccessObserver.NONE));
	}

	/**
	 * The refresh cookie, removed from every proxied request, in cookie mode and out of
	 * it.
	 */
	@Bean
	@ConditionalOnMissingBean
	RefreshCookieHeadersFilter tollgateRefreshCookieHeadersFilter(RefreshTokenProperties refreshToken) {
		return new RefreshCookieHeadersFilter(refreshToken.cookie().name());
	}

	@Bean
	@ConditionalOnMissingBean(KeyResolver.class)
	UserOrAddressKeyResolver tollgateKeyResolver(ClientAddressResolver clients) {
		return new UserOrAddressKeyResolver(clients);
	}

}
