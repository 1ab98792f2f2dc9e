package dev.tollgate.routes.login;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CorsHeaders}: the gateway's CORS headers outlive the user service's answer,
 * nothing else does.
 */
class CorsHeadersTests {

	@Test
	void resetWhenTheGatewaySetCorsHeadersBeforeTheRouteThenOnlyTheyRemain() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/auth/login"));
		HttpHeaders response = exchange.getResponse().getHeaders();
		response.setAccessControlAllowOrigin("https://app.example.com");
		response.setAccessControlAllowCredentials(true);
		response.add(HttpHeaders.VARY, "Origin");
		CorsHeaders.remember(exchange);
		response.setAccessControlAllowOrigin("https://evil.example");
		response.add(HttpHeaders.SET_COOKIE, "user-service-session=secret");
		response.add(HttpHeaders.SERVER, "user-service/1.0");

		CorsHeaders.reset(exchange, response);

		assertThat(response.headerNames()).containsExactlyInAnyOrder(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN,
				HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, HttpHeaders.VARY,
				HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS);
		assertThat(response.get(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)).containsExactly("https://app.example.com");
		// a browser app reads the DPoP nonce of the answer (RFC 9449 §8)
		assertThat(response.getAccessControlExposeHeaders()).containsExactly("DPoP-Nonce");
	}

	@Test
	void resetWhenTheGatewayExposedHeadersThenDpopNonceAddedOnce() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/auth/login"));
		HttpHeaders response = exchange.getResponse().getHeaders();
		response.setAccessControlAllowOrigin("https://app.example.com");
		response.setAccessControlExposeHeaders(java.util.List.of("X-Request-Id", "dpop-nonce"));
		CorsHeaders.remember(exchange);

		CorsHeaders.reset(exchange, response);

		assertThat(response.getAccessControlExposeHeaders()).containsExactly("X-Request-Id", "dpop-nonce");
	}

	@Test
	void resetWhenTheGatewaySetNoCorsHeadersThenNoHeaderRemains() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/auth/login"));
		CorsHeaders.remember(exchange);
		HttpHeaders response = exchange.getResponse().getHeaders();
		response.setAccessControlAllowOrigin("https://evil.example");
		response.add(HttpHeaders.SET_COOKIE, "user-service-session=secret");

		CorsHeaders.reset(exchange, response);

		assertThat(response.headerNames()).isEmpty();
	}

}
