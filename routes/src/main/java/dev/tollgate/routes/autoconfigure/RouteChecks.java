package dev.tollgate.routes.autoconfigure;

import java.util.List;

import dev.tollgate.routes.filter.RequireRolesGatewayFilterFactory;
import dev.tollgate.token.autoconfigure.TollgateConfigurationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Checks the configured routes ({@code spring.cloud.gateway.server.webflux.routes}) at
 * start-up, where the gateway itself would only log a failed route, or nothing: a
 * {@code RequireRoles} that could never let anyone through stops start-up with the key to
 * fix; a route whose {@code Path} predicate also matches one of Tollgate's endpoints is
 * logged, since the endpoint answers those requests and the route never sees them.
 */
final class RouteChecks implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(RouteChecks.class);

	private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes";

	private final GatewayProperties gateway;

	private final ConfigurationService configuration;

	private final RequireRolesGatewayFilterFactory requireRoles;

	private final EndpointsProperties endpoints;

	RouteChecks(GatewayProperties gateway, ConfigurationService configuration,
			RequireRolesGatewayFilterFactory requireRoles, EndpointsProperties endpoints) {
		this.gateway = gateway;
		this.configuration = configuration;
		this.requireRoles = requireRoles;
		this.endpoints = endpoints;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<RouteDefinition> routes = this.gateway.getRoutes();
		for (int i = 0; i < routes.size(); i++) {
			checkRoles(i, routes.get(i));
			warnOnOverlap(routes.get(i));
		}
	}

	private void checkRoles(int index, RouteDefinition route) {
		List<FilterDefinition> filters = route.getFilters();
		for (int j = 0; j < filters.size(); j++) {
			FilterDefinition filter = filters.get(j);
			if (!this.requireRoles.name().equals(filter.getName())) {
				continue;
			}
			RequireRolesGatewayFilterFactory.Config config = this.configuration.with(this.requireRoles)
				.name(filter.getName())
				.properties(filter.getArgs())
				.bind();
			try {
				RequireRolesGatewayFilterFactory.roles(config);
			}
			catch (IllegalArgumentException ex) {
				throw new TollgateConfigurationException(ROUTES + "[" + index + "].filters[" + j + "]",
						"(route '" + route.getId() + "'): " + ex.getMessage(),
						"list roles a token can carry, e.g. RequireRoles=admin,ops or args: {roles: [admin, ops]}");
			}
		}
	}

	private void warnOnOverlap(RouteDefinition route) {
		for (PredicateDefinition predicate : route.getPredicates()) {
			if (!"Path".equals(predicate.getName())) {
				continue;
			}
			for (String pattern : predicate.getArgs().values()) {
				for (String endpoint : this.endpoints.all()) {
					if (matches(pattern, endpoint)) {
						logger.warn("Route '" + route.getId() + "' (Path=" + pattern
								+ ") also matches Tollgate's endpoint " + endpoint
								+ ", which answers first: the route never sees it. Move the endpoint with "
								+ "tollgate.endpoints.* or narrow the route's path.");
					}
				}
			}
		}
	}

	private static boolean matches(String pattern, String path) {
		try {
			return PathPatternParser.defaultInstance.parse(pattern.trim()).matches(PathContainer.parsePath(path));
		}
		catch (RuntimeException ex) {
			// not a pattern the gateway could use either; it reports that itself
			return false;
		}
	}

}
