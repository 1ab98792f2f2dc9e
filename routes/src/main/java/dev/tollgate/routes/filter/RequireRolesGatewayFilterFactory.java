package dev.tollgate.routes.filter;

import java.util.ArrayList;
import java.util.List;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.filter.AccessTokenGlobalFilter;
import dev.tollgate.token.jwt.ClaimRules;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import dev.tollgate.token.observe.AccessObserver;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;

/**
 * {@code RequireRoles}: lets a request through only when its access token carries at
 * least one of the roles; otherwise 403 {@code insufficient_scope} (RFC 6750 §3.1), or
 * 401 when the request is anonymous (a public route). Reads what
 * {@link AccessTokenGlobalFilter} verified, which runs first.
 * <p>
 * Every form of the gateway's configuration means the same, any of {@code admin} and
 * {@code ops}: <pre>
 * filters:
 *   - RequireRoles=admin,ops                  # shortcut
 *   - name: RequireRoles                      # expanded, a list
 *     args:
 *       roles: [admin, ops]
 *   - name: RequireRoles                      # expanded, one string
 *     args:
 *       roles: "admin,ops"
 * </pre> A role that no token could carry (empty, a space or a character outside
 * printable ASCII) is a configuration error: {@link #roles} refuses it, and Tollgate
 * checks every configured route at start-up.
 */
public final class RequireRolesGatewayFilterFactory
		extends AbstractGatewayFilterFactory<RequireRolesGatewayFilterFactory.Config> {

	private final ProblemResponseWriter writer;

	private final AccessObserver observer;

	public RequireRolesGatewayFilterFactory(ProblemResponseWriter writer, AccessObserver observer) {
		super(Config.class);
		this.writer = writer;
		this.observer = observer;
	}

	@Override
	public ShortcutType shortcutType() {
		return ShortcutType.GATHER_LIST;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("roles");
	}

	@Override
	public GatewayFilter apply(Config config) {
		List<String> required = roles(config);
		return (exchange, chain) -> {
			VerifiedAccessToken token = exchange.getAttribute(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR);
			if (token == null) {
				return this.writer.write(exchange, TollgateErrors.missingToken());
			}
			boolean granted = token.hasAnyRole(required);
			Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
			this.observer.roleChecked((route != null) ? route.getId() : "none", granted);
			if (!granted) {
				return this.writer.write(exchange, TollgateErrors.insufficientScope("required role missing"));
			}
			return chain.filter(exchange);
		};
	}

	/**
	 * The roles {@code config} accepts, each value split at commas and trimmed.
	 * @throws IllegalArgumentException naming the problem when there is none, or one
	 * could never match
	 */
	public static List<String> roles(Config config) {
		List<String> roles = new ArrayList<>();
		for (String value : config.getRoles()) {
			for (String role : value.split(",", -1)) {
				String trimmed = role.trim();
				if (!ClaimRules.isValidRole(trimmed)) {
					throw new IllegalArgumentException("RequireRoles: '" + trimmed + "' is not a role a token could "
							+ "carry (1-64 printable ASCII characters, no space or comma)");
				}
				roles.add(trimmed);
			}
		}
		if (roles.isEmpty()) {
			throw new IllegalArgumentException("RequireRoles needs at least one role");
		}
		return List.copyOf(roles);
	}

	/** The roles a route accepts; any one of them suffices. */
	public static final class Config {

		private List<String> roles = List.of();

		/**
		 * Roles, any one of which lets a request through (a list, or one comma-separated
		 * string).
		 */
		public List<String> getRoles() {
			return this.roles;
		}

		public void setRoles(List<String> roles) {
			this.roles = List.copyOf(roles);
		}

	}

}
