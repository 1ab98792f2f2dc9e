package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.filter.RequireRolesGatewayFilterFactory;
import dev.tollgate.token.autoconfigure.TokenProperties;
import dev.tollgate.token.autoconfigure.TollgateTokenAutoConfiguration;
import dev.tollgate.token.jwt.SigningKeys;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.context.annotation.Bean;

/**
 * What Tollgate checks and says at start-up: the configured routes ({@link RouteChecks}:
 * a {@code RequireRoles} that could never let anyone through stops start-up; a route
 * shadowed by one of Tollgate's endpoints is logged), and one line naming the algorithm,
 * keys, store, issuer, audience and paths ({@link StartupSummary}). Each bean can be
 * replaced by one of the same name.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class, before = GatewayAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ StoreProperties.class, EndpointsProperties.class })
public class TollgateRouteChecksAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "tollgateRouteChecks")
	RouteChecks tollgateRouteChecks(ObjectProvider<GatewayProperties> gateway, ConfigurationService configuration,
			RequireRolesGatewayFilterFactory requireRoles, EndpointsProperties endpoints) {
		return new RouteChecks(gateway.getIfAvailable(GatewayProperties::new), configuration, requireRoles, endpoints);
	}

	@Bean
	@ConditionalOnMissingBean(name = "tollgateStartupSummary")
	StartupSummary tollgateStartupSummary(TokenProperties tokens, SigningKeys keys, StoreProperties store,
			EndpointsProperties endpoints) {
		return new StartupSummary(tokens, keys, store, endpoints);
	}

}
