package dev.tollgate.token.filter;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * The access check at the edge, on every route: verifies {@code Authorization: Bearer} (RFC 6750 §2.1); on
 * success records the {@link VerifiedAccessToken} in {@link #ACCESS_TOKEN_ATTR} and adds {@code X-User-Id} and
 * {@code X-User-Roles} for the route filters to see. Routes whose metadata has {@code auth: public}, or which
 * carry a {@link TokenExemptFilter}, let requests without a valid token through as anonymous; every other route
 * answers 401 and never calls the upstream. Client-sent {@code X-User-*} headers were already removed by the
 * {@code RequestFirewall}, and {@link IdentityHeadersFilter} has the last word on what the upstream receives.
 */
public final class AccessTokenGlobalFilter implements GlobalFilter, Ordered {

	/** Runs before every route filter, so that {@code RequireRoles} can read {@link #ACCESS_TOKEN_ATTR}. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	/** Exchange attribute holding the {@link VerifiedAccessToken} of an authenticated request. */
	public static final String ACCESS_TOKEN_ATTR = AccessTokenGlobalFilter.class.getName() + ".accessToken";

	/** Header carrying the verified user id ({@code sub}) to the upstream. */
	public static final String USER_ID_HEADER = "X-User-Id";

	/** Header carrying the verified roles, joined by {@code ,}, to the upstream. */
	public static final String USER_ROLES_HEADER = "X-User-Roles";

	/** Route metadata key and value that make a route public. */
	public static final String AUTH_METADATA = "auth";

	static final String PUBLIC = "public";

	private static final String BEARER_SCHEME = "Bearer";

	private static final Pattern BEARER = Pattern.compile("Bearer +([A-Za-z0-9._~+/-]+=*) *",
			Pattern.CASE_INSENSITIVE);

	private final AccessTokenVerifier verifier;

	private final ProblemResponseWriter writer;

	public AccessTokenGlobalFilter(AccessTokenVerifier verifier, ProblemResponseWriter writer) {
		this.verifier = verifier;
		this.writer = writer;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		boolean open = isOpen(exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR));
		VerifiedAccessToken token;
		try {
			token = authenticate(exchange.getRequest().getHeaders());
		}
		catch (TollgateErrorException ex) {
			return open ? chain.filter(exchange) : this.writer.write(exchange, ex.error());
		}
		if (token == null) {
			return open ? chain.filter(exchange) : this.writer.write(exchange, TollgateErrors.missingToken());
		}
		exchange.getAttributes().put(ACCESS_TOKEN_ATTR, token);
		return chain.filter(exchange.mutate().request(identified(exchange.getRequest(), token)).build());
	}

	/** The verified token, {@code null} when there is no bearer token, or an error for a bad one. */
	private VerifiedAccessToken authenticate(HttpHeaders headers) {
		List<String> values = headers.get(HttpHeaders.AUTHORIZATION);
		if (values == null || values.isEmpty()) {
			return null;
		}
		if (values.size() > 1) {
			throw error(TollgateErrors.invalidAuthorization("more than one Authorization header"));
		}
		String value = values.get(0);
		int end = value.indexOf(' ');
		if (!BEARER_SCHEME.equalsIgnoreCase((end < 0) ? value : value.substring(0, end))) {
			// another scheme (Basic, ...): no bearer token at all, RFC 6750 §3.1
			return null;
		}
		Matcher matcher = BEARER.matcher(value);
		if (!matcher.matches()) {
			throw error(TollgateErrors.invalidAuthorization("malformed Authorization header"));
		}
		return this.verifier.verify(matcher.group(1));
	}

	private static TollgateErrorException error(TollgateError error) {
		return error.exception();
	}

	/** Whether the route lets requests without a valid token through. */
	static boolean isOpen(Route route) {
		if (route == null) {
			return false;
		}
		if (PUBLIC.equalsIgnoreCase(String.valueOf(route.getMetadata().get(AUTH_METADATA)))) {
			return true;
		}
		for (GatewayFilter filter : route.getFilters()) {
			GatewayFilter delegate = (filter instanceof OrderedGatewayFilter ordered) ? ordered.getDelegate() : filter;
			if (delegate instanceof TokenExemptFilter) {
				return true;
			}
		}
		return false;
	}

	private static ServerHttpRequest identified(ServerHttpRequest request, VerifiedAccessToken token) {
		return request.mutate().headers((headers) -> {
			headers.set(USER_ID_HEADER, token.subject());
			headers.set(USER_ROLES_HEADER, token.joinedRoles());
		}).build();
	}

}
