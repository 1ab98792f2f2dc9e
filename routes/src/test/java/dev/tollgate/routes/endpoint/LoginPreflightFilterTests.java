package dev.tollgate.routes.endpoint;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tollgate.token.filter.TokenExemptFilter;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.webflux.autoconfigure.WebFluxProperties;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.handler.AsyncPredicate;
import org.springframework.cloud.gateway.handler.predicate.MethodRoutePredicateFactory;
import org.springframework.cloud.gateway.handler.predicate.PathRoutePredicateFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

class LoginPreflightFilterTests {

	static final String ORIGIN = "https://app.example.com";

	private final AtomicInteger routeLookups = new AtomicInteger();

	private final AtomicBoolean passedOn = new AtomicBoolean();

	private final WebFilterChain chain = (exchange) -> {
		this.passedOn.set(true);
		return Mono.empty();
	};

	/**
	 * The README's login route: Path=/auth/{form}, Method=POST, IssueTokens; and an API
	 * route.
	 */
	private List<Route> routes = List.of(route("login", path("/auth/{form}").and(method(HttpMethod.POST)), exempt()),
			route("api", path("/api/**"), (exchange, chain) -> chain.filter(exchange)));

	private final RouteLocator locator = () -> {
		this.routeLookups.incrementAndGet();
		return Flux.fromIterable(this.routes);
	};

	private final GlobalCorsProperties cors = new GlobalCorsProperties();

	LoginPreflightFilterTests() {
		CorsConfiguration config = new CorsConfiguration();
		config.setAllowedOrigins(List.of(ORIGIN));
		config.setAllowedMethods(List.of("GET", "POST", "DELETE"));
		config.setAllowedHeaders(List.of("Authorization", "Content-Type"));
		config.setAllowCredentials(true);
		this.cors.getCorsConfigurations().put("/**", config);
	}

	@Test
	void filterWhenPreflightToPostOnlyLoginRouteThenAnsweredFromGlobalCorsAndNotPassedOn() {
		MockServerWebExchange exchange = preflight("/auth/login", ORIGIN, "POST");
		filter(exchange);
		assertThat(this.passedOn).isFalse();
		HttpHeaders headers = exchange.getResponse().getHeaders();
		assertThat(exchange.getResponse().getStatusCode()).isNotEqualTo(HttpStatus.FORBIDDEN);
		assertThat(headers.getAccessControlAllowOrigin()).isEqualTo(ORIGIN);
		assertThat(headers.getAccessControlAllowCredentials()).isTrue();
		assertThat(headers.getAccessControlAllowMethods()).contains(HttpMethod.POST);
	}

	@Test
	void filterWhenPreflightFromOtherOriginThen403WithoutAllowOriginAndNotPassedOn() {
		MockServerWebExchange exchange = preflight("/auth/login", "https://evil.example", "POST");
		filter(exchange);
		assertThat(this.passedOn).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(exchange.getResponse().getHeaders().getAccessControlAllowOrigin()).isNull();
	}

	@Test
	void filterWhenNoCorsConfiguredThenAnsweredWithoutAllowOriginAndNotPassedOn() {
		this.cors.getCorsConfigurations().clear();
		MockServerWebExchange exchange = preflight("/auth/login", ORIGIN, "POST");
		filter(exchange);
		assertThat(this.passedOn).isFalse();
		assertThat(exchange.getResponse().getHeaders().getAccessControlAllowOrigin()).isNull();
	}

	@Test
	void filterWhenAnnouncedMethodNotTheLoginRoutesThenPassedOnAndPredicateTracesNotLeft() {
		// Path=/auth/{form} matches and records {form} before Method=POST refuses DELETE
		MockServerWebExchange exchange = preflight("/auth/login", ORIGIN, "DELETE");
		filter(exchange);
		assertThat(this.passedOn).isTrue();
		assertThat(exchange.getResponse().getHeaders().getAccessControlAllowOrigin()).isNull();
		assertThat(exchange.getAttributes()).doesNotContainKeys(ServerWebExchangeUtils.URI_TEMPLATE_VARIABLES_ATTRIBUTE,
				ServerWebExchangeUtils.GATEWAY_PREDICATE_ROUTE_ATTR);
		assertThat(exchange.getRequest().getMethod()).isEqualTo(HttpMethod.OPTIONS);
	}

	@Test
	void filterWhenPreflightToRouteWithoutIssueTokensThenLeftToTheGateway() {
		MockServerWebExchange exchange = preflight("/api/orders", ORIGIN, "POST");
		filter(exchange);
		assertThat(this.passedOn).isTrue();
		assertThat(exchange.getResponse().getHeaders().getAccessControlAllowOrigin()).isNull();
	}

	@Test
	void filterWhenLoginPredicateFailsThenNotMatchedAndPassedOn() {
		this.routes = List.of(route("broken", AsyncPredicate.from((exchange) -> {
			throw new IllegalStateException("predicate failure");
		}), exempt()));
		filter(preflight("/auth/login", ORIGIN, "POST"));
		assertThat(this.passedOn).isTrue();
	}

	@Test
	void filterWhenNotPreflightThenPassedOnWithoutLookingAtRoutes() {
		filter(MockServerWebExchange
			.from(MockServerHttpRequest.post("https://gateway.example/auth/login").header(HttpHeaders.ORIGIN, ORIGIN)));
		filter(MockServerWebExchange.from(MockServerHttpRequest.options("https://gateway.example/auth/login")));
		filter(MockServerWebExchange.from(MockServerHttpRequest.options("https://gateway.example/auth/login")
			.header(HttpHeaders.ORIGIN, ORIGIN)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, " ")));
		assertThat(this.passedOn).isTrue();
		assertThat(this.routeLookups).hasValue(0);
	}

	private void filter(ServerWebExchange exchange) {
		new LoginPreflightFilter(this.locator, this.cors).filter(exchange, this.chain).block();
	}

	private static MockServerWebExchange preflight(String path, String origin, String method) {
		return MockServerWebExchange.from(MockServerHttpRequest.options("https://gateway.example" + path)
			.header(HttpHeaders.ORIGIN, origin)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, method)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type"));
	}

	private static Route route(String id, AsyncPredicate<ServerWebExchange> predicate, GatewayFilter filter) {
		return Route.async()
			.id(id)
			.uri("http://127.0.0.1:1")
			.asyncPredicate(predicate)
			.filters(new OrderedGatewayFilter(filter, 1))
			.build();
	}

	private static TokenExemptFilter exempt() {
		return (exchange, chain) -> chain.filter(exchange);
	}

	/** The predicates as the gateway builds them from a route definition. */
	private static AsyncPredicate<ServerWebExchange> path(String pattern) {
		return new PathRoutePredicateFactory(new WebFluxProperties())
			.applyAsync(new PathRoutePredicateFactory.Config().setPatterns(List.of(pattern)));
	}

	private static AsyncPredicate<ServerWebExchange> method(HttpMethod method) {
		MethodRoutePredicateFactory.Config config = new MethodRoutePredicateFactory.Config();
		config.setMethods(method);
		return new MethodRoutePredicateFactory().applyAsync(config);
	}

}
