package dev.tollgate.routes.endpoint;

import java.util.List;

import dev.tollgate.token.firewall.RequestFirewall;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * CORS for Tollgate's own endpoints (refresh, logout, sessions, JWK Set), from the
 * gateway's own CORS settings ({@code spring.cloud.gateway.server.webflux.globalcors}):
 * the gateway applies them to its routes only, and these endpoints are not routes. A
 * pre-flight to one of them is answered here and goes no further. Requests to any other
 * path are left to the gateway (and pre-flights to login routes to
 * {@link LoginPreflightFilter}).
 */
public final class EndpointCorsFilter implements WebFilter, Ordered {

	/** Right after the request firewall. */
	public static final int ORDER = RequestFirewall.ORDER + 1;

	private final List<String> paths;

	private final String sessionsPrefix;

	private final GatewayCors cors;

	public EndpointCorsFilter(List<String> paths, String sessionsPath, GlobalCorsProperties cors) {
		this.paths = List.copyOf(paths);
		this.sessionsPrefix = sessionsPath + "/";
		this.cors = new GatewayCors(cors);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (!this.paths.contains(path) && !path.startsWith(this.sessionsPrefix)) {
			return chain.filter(exchange);
		}
		CorsConfiguration config = this.cors.configuration(path);
		if (config == null) {
			return chain.filter(exchange);
		}
		if (!this.cors.process(config, exchange) || CorsUtils.isPreFlightRequest(exchange.getRequest())) {
			return Mono.empty();
		}
		return chain.filter(exchange);
	}

}
