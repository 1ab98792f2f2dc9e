package dev.tollgate.routes.endpoint;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EndpointCorsFilter}: the gateway's globalcors, applied to Tollgate's own
 * endpoints.
 */
class EndpointCorsFilterTests {

	private static final String APP = "https://app.example.com";

	private static final String GATEWAY = "https://gateway.example.com";

	private final AtomicBoolean passed = new AtomicBoolean();

	private final WebFilterChain chain = (exchange) -> Mono.fromRunnable(() -> this.passed.set(true));

	private final EndpointCorsFilter filter = new EndpointCorsFilter(
			List.of("/auth/refresh", "/auth/logout", "/auth/sessions", "/.well-known/jwks.json"), "/auth/sessions",
			globalCors());

	private static GlobalCorsProperties globalCors() {
		CorsConfiguration app = new CorsConfiguration();
		app.setAllowedOrigins(List.of(APP));
		app.setAllowedMethods(List.of("GET", "POST", "DELETE"));
		app.setAllowedHeaders(List.of("Authorization", "Content-Type"));
		app.setAllowCredentials(true);
		GlobalCorsProperties cors = new GlobalCorsProperties();
		cors.getCorsConfigurations().put("/auth/**", app);
		return cors;
	}

	private MockServerWebExchange run(MockServerHttpRequest.BaseBuilder<?> request) {
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		this.filter.filter(exchange, this.chain).block();
		return exchange;
	}

	private static MockServerHttpRequest.BaseBuilder<?> preflight(String path, String origin) {
		return MockServerHttpRequest.options(GATEWAY + path)
			.header(HttpHeaders.ORIGIN, origin)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST");
	}

	@Test
	void filterWhenPreflightToAnEndpointFromAnAllowedOriginThenAnsweredHereAndNoFurther() {
		MockServerWebExchange exchange = run(preflight("/auth/refresh", APP));

		assertThat(exchange.getResponse().getHeaders().getAccessControlAllowOrigin()).isEqualTo(APP);
		assertThat(exchange.getResponse().getHeaders().getAccessControlAllowMethods()).contains(HttpMethod.POST);
		assertThat(exchange.getResponse().getHeaders().getAccessControlAllowCredentials()).isTrue();
		assertThat(this.passed).isFalse();
	}

	@Test
	void filterWhenPreflightAsksForTheDpopHeaderThenAllowedAndTheGatewaysSettingsUnchanged() {
		GlobalCorsProperties cors = globalCors();
		EndpointCorsFilter filter = new EndpointCorsFilter(List.of("/auth/refresh"), "/auth/sessions", cors);
		MockServerWebExchange exchange = MockServerWebExchange.from(preflight("/auth/refresh", APP)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type, dpop"));

		filter.filter(exchange, this.chain).block();

		assertThat(exchange.getResponse().getStatusCode()).isNotEqualTo(HttpStatus.FORBIDDEN);
		assertThat(exchange.getResponse().getHeaders().getAccessControlAllowHeaders())
			.anySatisfy((header) -> assertThat(header).isEqualToIgnoringCase("dpop"));
		assertThat(cors.getCorsConfigurations().get("/auth/**").getAllowedHeaders()).containsExactly("Authorization",
				"Content-Type");
	}

	@Test
	void filterWhenARefreshFromAnAllowedOriginThenDpopNonceExposed() {
		MockServerWebExchange exchange = run(
				MockServerHttpRequest.post(GATEWAY + "/auth/refresh").header(HttpHeaders.ORIGIN, APP));

		assertThat(exchange.getResponse().getHeaders().getAccessControlExposeHeaders()).contains("DPoP-Nonce");
		assertThat(this.passed).isTrue();
	}

	@Test
	void filterWhenPreflightFromAnotherOriginThen403WithoutAllowOrigin() {
		MockServerWebExchange exchange = run(preflight("/auth/logout", "https://evil.example"));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(exchange.getResponse().getHeaders().getAccessControlAllowOrigin()).isNull();
		assertThat(this.passed).isFalse();
	}

	@Test
	void filterWhenARequestToASessionOfTheListFromAnAllowedOriginThenCorsHeadersAndOnToTheEndpoint() {
		MockServerWebExchange exchange = run(
				MockServerHttpRequest.delete(GATEWAY + "/auth/sessions/s-1").header(HttpHeaders.ORIGIN, APP));

		assertThat(exchange.getResponse().getHeaders().getAccessControlAllowOrigin()).isEqualTo(APP);
		assertThat(this.passed).isTrue();
	}

	@Test
	void filterWhenAnotherPathThenLeftToTheGateway() {
		MockServerWebExchange exchange = run(preflight("/auth/login", APP));

		assertThat(exchange.getResponse().getHeaders().getAccessControlAllowOrigin()).isNull();
		assertThat(this.passed).isTrue();
	}

	@Test
	void filterWhenTheGatewayHasNoCorsForThePathThenOnWithoutCorsHeaders() {
		MockServerWebExchange exchange = run(preflight("/.well-known/jwks.json", APP));

		assertThat(exchange.getResponse().getHeaders().getAccessControlAllowOrigin()).isNull();
		assertThat(this.passed).isTrue();
	}

}
