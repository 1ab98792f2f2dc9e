package dev.tollgate.routes.filter.factory;

import java.util.List;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.filter.AccessTokenGlobalFilter;
import dev.tollgate.token.jwt.VerifiedAccessToken;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

/**
 * {@code RequireRoles=admin,ops}: lets a request through only when its access token carries at least one of
 * the roles; otherwise 403 {@code insufficient_scope} (RFC 6750 §3.1), or 401 when the request is anonymous
 * (a public route). Reads what {@link AccessTokenGlobalFilter} verified, which runs first.
 */
public final class RequireRolesGatewayFilterFactory
		extends AbstractGatewayFilterFactory<RequireRolesGatewayFilterFactory.Config> {

	private final ProblemResponseWriter writer;

	public RequireRolesGatewayFilterFactory(ProblemResponseWriter writer) {
		super(Config.class);
		this.writer = writer;
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
		List<String> required = List.copyOf(config.getRoles());
		if (required.isEmpty()) {
			throw new IllegalArgumentException("RequireRoles needs at least one role");
		}
		return (exchange, chain) -> {
			VerifiedAccessToken token = exchange.getAttribute(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR);
			if (token == null) {
				return this.writer.write(exchange, TollgateErrors.missingToken());
			}
			if (!token.hasAnyRole(required)) {
				return this.writer.write(exchange, TollgateErrors.insufficientScope("required role missing"));
			}
			return chain.filter(exchange);
		};
	}

	/** The roles a route accepts; any one of them suffices. */
	public static final class Config {

		private List<String> roles = List.of();

		/** Roles, any one of which lets a request through. */
		public List<String> getRoles() {
			return this.roles;
		}

		public void setRoles(List<String> roles) {
			this.roles = roles.stream().map(String::trim).filter((role) -> !role.isEmpty()).toList();
		}

	}

}
