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
				HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, HttpHeaders.VARY);
		assertThat(response.get(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)).containsExactly("https://app.example.com");
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
