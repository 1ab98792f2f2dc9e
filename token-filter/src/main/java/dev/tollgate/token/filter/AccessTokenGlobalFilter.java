package dev.tollgate.token.filter;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import dev.tollgate.token.observe.AccessObserver;
import dev.tollgate.token.observe.AccessOutcome;
import dev.tollgate.token.observe.TokenRejection;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * The access check at the edge, on every route: verifies {@code Authorization: Bearer}
 * (RFC 6750 §2.1) or {@code DPoP} with its proof (RFC 9449 §7) through the
 * {@link AccessTokenAuthenticator}; a route whose metadata has {@code dpop: required}
 * refuses bearer tokens. On success it records the {@link VerifiedAccessToken} in
 * {@link #ACCESS_TOKEN_ATTR}, where route filters read it. Routes whose metadata has
 * {@code auth: public} let requests without a valid token through as anonymous; routes
 * that carry a {@link TokenExemptFilter} (the login route) are not checked at all; every
 * other route answers 401 and never calls the upstream. Each check is reported once to
 * the {@link AccessObserver}.
 * <p>
 * The request itself is left as it is: client-sent {@code X-User-*} headers were already
 * removed by the {@code RequestFirewall}, and {@link IdentityHeadersFilter} adds
 * {@code X-User-Id} and {@code X-User-Roles} from the attribute as the request leaves for
 * the upstream (no per-request copy of the exchange).
 */
public final class AccessTokenGlobalFilter implements GlobalFilter, Ordered {

	/**
	 * Runs before every route filter, so that {@code RequireRoles} can read
	 * {@link #ACCESS_TOKEN_ATTR}.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	/**
	 * Exchange attribute holding the {@link VerifiedAccessToken} of an authenticated
	 * request.
	 */
	public static final String ACCESS_TOKEN_ATTR = AccessTokenGlobalFilter.class.getName() + ".accessToken";

	/** Header carrying the verified user id ({@code sub}) to the upstream. */
	public static final String USER_ID_HEADER = "X-User-Id";

	/** Header carrying the verified roles, joined by {@code ,}, to the upstream. */
	public static final String USER_ROLES_HEADER = "X-User-Roles";

	/**
	 * The {@code route} tag of a request that matched no route (the check then refuses
	 * it).
	 */
	static final String NO_ROUTE = "none";

	/** Route metadata key and value that make a route public. */
	public static final String AUTH_METADATA = "auth";

	static final String PUBLIC = "public";

	/**
	 * Route metadata key whose value {@code required} makes a route refuse bearer tokens
	 * (RFC 9449 §7.2).
	 */
	public static final String DPOP_METADATA = "dpop";

	static final String REQUIRED = "required";

	private final AccessTokenAuthenticator authenticator;

	private final ProblemResponseWriter writer;

	private final AccessObserver observer;

	public AccessTokenGlobalFilter(AccessTokenVerifier verifier, ProblemResponseWriter writer) {
		this(new AccessTokenAuthenticator(verifier, SessionRevocations.NONE), writer, AccessObserver.NONE);
	}

	public AccessTokenGlobalFilter(AccessTokenAuthenticator authenticator, ProblemResponseWriter writer,
			AccessObserver observer) {
		this.authenticator = authenticator;
		this.writer = writer;
		this.observer = observer;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		if (isExempt(route)) {
			return chain.filter(exchange);
		}
		long start = System.nanoTime();
		Object result;
		try {
			result = this.authenticator.authenticateNow(exchange.getRequest());
		}
		catch (TollgateErrorException ex) {
			return refuse(exchange, chain, route, ex.error(), start);
		}
		if (result instanceof Mono<?> pending) {
			// the shared replay guard: the one path that waits for I/O
			// an error of the chain after this filter must not be answered as a refusal:
			// the outcome of the check is mapped to a value first
			return pending.<Object>map((token) -> token)
				.onErrorResume(TollgateErrorException.class, (ex) -> Mono.just(ex.error()))
				.flatMap((outcome) -> (outcome instanceof TollgateError error)
						? refuse(exchange, chain, route, error, start)
						: accept(exchange, chain, route, (VerifiedAccessToken) outcome, start));
		}
		if (result == null) {
			TollgateError missing = TollgateErrors.missingToken();
			return refuse(exchange, chain, route, requiresDpop(route) ? missing.withDpopChallenge() : missing, start);
		}
		return accept(exchange, chain, route, (VerifiedAccessToken) result, start);
	}

	private Mono<Void> accept(ServerWebExchange exchange, GatewayFilterChain chain, Route route,
			VerifiedAccessToken token, long start) {
		if (token.keyThumbprint() == null && requiresDpop(route)) {
			return refuse(exchange, chain, route,
					TollgateErrors.invalidDpopToken(TokenRejection.DPOP_REQUIRED, "DPoP-bound token required"), start);
		}
		this.observer.accessChecked(routeId(route), AccessOutcome.ACCEPTED, TokenRejection.NONE,
				System.nanoTime() - start);
		exchange.getAttributes().put(ACCESS_TOKEN_ATTR, token);
		this.authenticator.addResponseNonce(token, exchange.getResponse().getHeaders());
		return chain.filter(exchange);
	}

	private Mono<Void> refuse(ServerWebExchange exchange, GatewayFilterChain chain, Route route, TollgateError error,
			long start) {
		long nanos = System.nanoTime() - start;
		TokenRejection rejection = (error.rejection() != null) ? error.rejection() : TokenRejection.MALFORMED;
		if (isOpen(route)) {
			this.observer.accessChecked(routeId(route), AccessOutcome.ANONYMOUS, rejection, nanos);
			return chain.filter(exchange);
		}
		this.observer.accessChecked(routeId(route), AccessOutcome.REJECTED, rejection, nanos);
		return this.writer.write(exchange, error);
	}

	private static String routeId(Route route) {
		return (route != null) ? route.getId() : NO_ROUTE;
	}

	/** Whether the route refuses bearer tokens ({@code dpop: required}). */
	static boolean requiresDpop(Route route) {
		return route != null && REQUIRED.equalsIgnoreCase(String.valueOf(route.getMetadata().get(DPOP_METADATA)));
	}

	/**
	 * Whether the route lets requests without a valid token through
	 * ({@code auth: public}).
	 */
	static boolean isOpen(Route route) {
		return route != null && PUBLIC.equalsIgnoreCase(String.valueOf(route.getMetadata().get(AUTH_METADATA)));
	}

	/**
	 * Whether the route carries a {@link TokenExemptFilter} (a login route): no token is
	 * looked at there.
	 */
	public static boolean isExempt(Route route) {
		if (route == null) {
			return false;
		}
		for (GatewayFilter filter : route.getFilters()) {
			GatewayFilter delegate = (filter instanceof OrderedGatewayFilter ordered) ? ordered.getDelegate() : filter;
			if (delegate instanceof TokenExemptFilter) {
				return true;
			}
		}
		return false;
	}

}
