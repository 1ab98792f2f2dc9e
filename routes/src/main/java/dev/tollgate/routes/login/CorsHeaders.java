package dev.tollgate.routes.login;

import java.util.List;

import dev.tollgate.routes.dpop.DpopCors;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * The CORS headers the gateway itself sets on a login's response before the route runs
 * (its global CORS configuration): saved before the user service is called, and put back
 * on the login's answer once every header of the user service's answer is removed, so
 * that a browser app on an allowed origin can read the answer, token response and problem
 * alike, its {@code DPoP-Nonce} included ({@link DpopCors#exposeNonce}).
 */
final class CorsHeaders {

	private static final String ATTR = CorsHeaders.class.getName();

	private static final String ACCESS_CONTROL = "Access-Control-";

	private CorsHeaders() {
	}

	/**
	 * Saves the response's CORS headers ({@code Access-Control-*} and {@code Vary}) as
	 * they are now.
	 */
	static void remember(ServerWebExchange exchange) {
		HttpHeaders response = exchange.getResponse().getHeaders();
		HttpHeaders cors = null;
		for (String name : response.headerNames()) {
			if (name.regionMatches(true, 0, ACCESS_CONTROL, 0, ACCESS_CONTROL.length())
					|| name.equalsIgnoreCase(HttpHeaders.VARY)) {
				cors = (cors != null) ? cors : new HttpHeaders();
				cors.addAll(name, response.get(name));
			}
		}
		if (cors != null) {
			exchange.getAttributes().put(ATTR, cors);
		}
	}

	/**
	 * Removes every header of {@code headers}, then adds back the CORS headers
	 * {@link #remember} saved, with {@code DPoP-Nonce} exposed.
	 */
	static void reset(ServerWebExchange exchange, HttpHeaders headers) {
		HttpHeaders cors = exchange.getAttribute(ATTR);
		List.copyOf(headers.headerNames()).forEach(headers::remove);
		if (cors != null) {
			headers.addAll(cors);
			DpopCors.exposeNonce(headers);
		}
	}

}
