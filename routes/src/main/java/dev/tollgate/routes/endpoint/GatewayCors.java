package dev.tollgate.routes.endpoint;

import java.util.Map;

import dev.tollgate.routes.dpop.DpopCors;

import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.http.server.PathContainer;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsProcessor;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The gateway's own CORS settings
 * ({@code spring.cloud.gateway.server.webflux.globalcors}), applied the way the gateway's
 * handler mapping applies them to the requests it routes: the first pattern that matches
 * the path gives the configuration, and Spring's {@link DefaultCorsProcessor} writes the
 * answer. For the requests that handler mapping never sees with a route: Tollgate's
 * endpoints, and pre-flights to login routes that take POST only. Each configuration also
 * allows the {@code DPoP} request header and exposes {@code DPoP-Nonce}
 * ({@link DpopCors}). The settings are read at each call, so a rebinding of
 * {@link GlobalCorsProperties} applies here as it does to the routes.
 */
final class GatewayCors {

	private final GlobalCorsProperties properties;

	private final CorsProcessor processor = new DefaultCorsProcessor();

	GatewayCors(GlobalCorsProperties properties) {
		this.properties = properties;
	}

	/**
	 * The configuration for {@code path}: that of the first pattern that matches, with
	 * DPoP's headers, or {@code null}.
	 */
	CorsConfiguration configuration(String path) {
		PathContainer container = PathContainer.parsePath(path);
		for (Map.Entry<String, CorsConfiguration> entry : this.properties.getCorsConfigurations().entrySet()) {
			if (PathPatternParser.defaultInstance.parse(entry.getKey()).matches(container)) {
				return DpopCors.withDpop(entry.getValue());
			}
		}
		return null;
	}

	/**
	 * Applies {@code config} (none: nothing to allow) to the exchange's response: the
	 * CORS headers, or a refusal (403, no {@code Access-Control-Allow-Origin}).
	 * @return whether the request may go on
	 */
	boolean process(CorsConfiguration config, ServerWebExchange exchange) {
		return this.processor.process(config, exchange);
	}

}
