package dev.tollgate.token.firewall;

import java.util.Iterator;
import java.util.Map;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateErrors;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The request firewall: runs before routing, on every request (gateway routes, Tollgate's
 * endpoints, anything else the application serves). Refuses a path that an upstream could
 * resolve differently from the route predicates ({@link StrictPathRules}) with 400
 * {@code invalid_request}, and removes the client-sent headers that no route may see
 * ({@link RequestHeaderRules}). A request needing neither goes through untouched.
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

	/**
	 * The request's header names: read from Reactor Netty's own headers when the request
	 * is Netty's (no copy of the name set, which Spring's adapter builds on every call),
	 * from Spring's headers otherwise.
	 */
	private static Iterable<? extends CharSequence> headerNames(ServerHttpRequest request) {
		if (request instanceof AbstractServerHttpRequest served
				&& nativeRequest(served) instanceof HttpServerRequest netty) {
			io.netty.handler.codec.http.HttpHeaders headers = netty.requestHeaders();
			return () -> new HeaderNameIterator(headers.iteratorCharSequence());
		}
		return request.getHeaders().headerNames();
	}

	private static Object nativeRequest(AbstractServerHttpRequest request) {
		try {
			return request.getNativeRequest();
		}
		catch (IllegalStateException ex) {
			// a mock request (tests) has none
			return null;
		}
	}

	/**
	 * Names of a Netty header iterator, one per entry (repeated names are checked twice,
	 * which is harmless).
	 */
	private record HeaderNameIterator(
			Iterator<Map.Entry<CharSequence, CharSequence>> entries) implements Iterator<CharSequence> {

		@Override
		public boolean hasNext() {
			return this.entries.hasNext();
		}

		@Override
		public CharSequence next() {
			return this.entries.next().getKey();
		}

	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String rejection = StrictPathRules.rejection(request.getURI().getRawPath());
		if (rejection != null) {
			return this.writer.write(exchange, TollgateErrors.invalidRequest(rejection));
		}
		if (!this.headerRules.needsSanitising(headerNames(request), request.getHeaders())) {
			return chain.filter(exchange);
		}
		ServerHttpRequest sanitised = request.mutate().headers(this.headerRules::sanitise).build();
		return chain.filter(exchange.mutate().request(sanitised).build());
	}

}
