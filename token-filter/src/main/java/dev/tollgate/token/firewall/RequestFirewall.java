package dev.tollgate.token.firewall;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateErrors;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The request firewall: runs before routing, on every request (gateway routes, Tollgate's endpoints, anything
 * else the application serves). Refuses a path that an upstream could resolve differently from the route
 * predicates ({@link StrictPathRules}) with 400 {@code invalid_request}, and removes the client-sent headers that
 * no route may see ({@link RequestHeaderRules}). A request needing neither goes through untouched.
 */
public final class RequestFirewall implements WebFilter, Ordered {

	/** First of all web filters: nothing, not even CORS, sees a refused request. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

	private final RequestHeaderRules headerRules;

	private final ProblemResponseWriter writer;

	public RequestFirewall(int trustedProxies, ProblemResponseWriter writer) {
		this.headerRules = new RequestHeaderRules(trustedProxies);
		this.writer = writer;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String rejection = StrictPathRules.rejection(request.getURI().getRawPath());
		if (rejection != null) {
			return this.writer.write(exchange, TollgateErrors.invalidRequest(rejection));
		}
		if (!this.headerRules.needsSanitising(request.getHeaders())) {
			return chain.filter(exchange);
		}
		ServerHttpRequest sanitised = request.mutate().headers(this.headerRules::sanitise).build();
		return chain.filter(exchange.mutate().request(sanitised).build());
	}

}
