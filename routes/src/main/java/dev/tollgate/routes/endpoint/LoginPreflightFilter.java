package dev.tollgate.routes.endpoint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.token.filter.AccessTokenGlobalFilter;
import dev.tollgate.token.filter.TokenExemptFilter;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.StringUtils;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Answers CORS pre-flights to the login routes (those carrying a
 * {@link TokenExemptFilter}: {@code IssueTokens}) from the gateway's own CORS settings. A
 * pre-flight is an {@code OPTIONS} request, and a login route usually takes {@code POST}
 * only ({@code Method=POST}): the gateway finds no route for the pre-flight, so its CORS
 * handling never runs and the browser, getting no {@code Access-Control-Allow-Origin},
 * blocks the login. Here a pre-flight is matched against each login route's predicates as
 * the request it announces ({@code Access-Control-Request-Method}); when one matches, it
 * is answered (or refused with 403) here and goes no further: never to the user service.
 * Every other request passes after one look at its method and headers.
 */
public final class LoginPreflightFilter implements WebFilter, Ordered {

	/**
	 * Right after {@link EndpointCorsFilter}: before any authentication, as a pre-flight
	 * never carries a token.
	 */
	public static final int ORDER = EndpointCorsFilter.ORDER + 1;

	private final RouteLocator routes;

	private final GatewayCors cors;

	public LoginPreflightFilter(RouteLocator routes, GlobalCorsProperties cors) {
		this.routes = routes;
		this.cors = new GatewayCors(cors);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!CorsUtils.isPreFlightRequest(request)) {
			return chain.filter(exchange);
		}
		String method = request.getHeaders().getFirst(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
		if (!StringUtils.hasText(method)) {
			return chain.filter(exchange);
		}
		return matchesLoginRoute(new Announced(exchange, HttpMethod.valueOf(method.strip()))).flatMap((login) -> {
			if (!login) {
				return chain.filter(exchange);
			}
			String path = request.getPath().pathWithinApplication().value();
			this.cors.process(this.cors.configuration(path), exchange);
			return Mono.empty();
		});
	}

	/**
	 * Whether a route carrying a {@link TokenExemptFilter} matches the announced request,
	 * in route order.
	 */
	Mono<Boolean> matchesLoginRoute(ServerWebExchange announced) {
		return this.routes.getRoutes()
			.filter(AccessTokenGlobalFilter::isExempt)
			.concatMap((route) -> matches(route, announced))
			.any(Boolean::booleanValue);
	}

	/**
	 * As the gateway's handler mapping evaluates a route: a predicate that fails does not
	 * match.
	 */
	private static Mono<Boolean> matches(Route route, ServerWebExchange announced) {
		return Mono.defer(() -> {
			announced.getAttributes().put(ServerWebExchangeUtils.GATEWAY_PREDICATE_ROUTE_ATTR, route.getId());
			return Mono.from(route.getPredicate().apply(announced));
		}).onErrorReturn(false);
	}

	/**
	 * The request a pre-flight announces: its method is the one asked for, and it has
	 * attributes of its own, so that what predicates record while matching (path
	 * variables, the route under test) never reaches the exchange the gateway goes on to
	 * route.
	 */
	private static final class Announced extends ServerWebExchangeDecorator {

		private final Map<String, Object> attributes;

		Announced(ServerWebExchange exchange, HttpMethod method) {
			super(exchange.mutate().request((request) -> request.method(method)).build());
			this.attributes = new ConcurrentHashMap<>(exchange.getAttributes());
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.attributes;
		}

	}

}
