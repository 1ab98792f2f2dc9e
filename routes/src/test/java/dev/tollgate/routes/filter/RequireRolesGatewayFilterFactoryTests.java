package dev.tollgate.routes.filter;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tollgate.routes.TestTokens;
import dev.tollgate.token.filter.AccessTokenGlobalFilter;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import dev.tollgate.token.observe.AccessObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code RequireRoles}: any of the roles lets a request through; the decision is reported
 * per route.
 */
class RequireRolesGatewayFilterFactoryTests {

	private final List<String> decisions = new CopyOnWriteArrayList<>();

	private final AccessObserver observer = new AccessObserver() {

		@Override
		public void roleChecked(String routeId, boolean granted) {
			RequireRolesGatewayFilterFactoryTests.this.decisions.add(routeId + " " + (granted ? "granted" : "denied"));
		}

	};

	private final RequireRolesGatewayFilterFactory factory = new RequireRolesGatewayFilterFactory(TestTokens.WRITER,
			this.observer);

	private final AtomicBoolean passed = new AtomicBoolean();

	private final GatewayFilterChain chain = (exchange) -> Mono.fromRunnable(() -> this.passed.set(true));

	private MockServerWebExchange run(GatewayFilter filter, List<String> tokenRoles) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/admin/reports"));
		exchange.getAttributes()
			.put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR,
					Route.async().id("admin").uri("http://127.0.0.1:9").predicate((ex) -> true).build());
		if (tokenRoles != null) {
			exchange.getAttributes()
				.put(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR,
						new VerifiedAccessToken("u-1", tokenRoles, "s-1", Instant.now().plusSeconds(60), null));
		}
		filter.filter(exchange, this.chain).block();
		return exchange;
	}

	private GatewayFilter requiring(String... roles) {
		RequireRolesGatewayFilterFactory.Config config = new RequireRolesGatewayFilterFactory.Config();
		config.setRoles(List.of(roles));
		return this.factory.apply(config);
	}

	@Test
	void filterWhenTheTokenCarriesOneOfTheRolesThenThroughAndGranted() {
		MockServerWebExchange exchange = run(requiring("admin", "ops"), List.of("user", "ops"));

		assertThat(this.passed).isTrue();
		assertThat(exchange.getResponse().getStatusCode()).isNull();
		assertThat(this.decisions).containsExactly("admin granted");
	}

	@Test
	void filterWhenTheTokenCarriesNoneOfTheRolesThen403InsufficientScopeAndDenied() {
		MockServerWebExchange exchange = run(requiring("admin,ops"), List.of("user"));

		assertThat(this.passed).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
			.contains("error=\"insufficient_scope\"");
		assertThat(this.decisions).containsExactly("admin denied");
	}

	@Test
	void filterWhenAnonymousOnAPublicRouteThen401AndNoDecision() {
		MockServerWebExchange exchange = run(requiring("admin"), null);

		assertThat(this.passed).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
			.isEqualTo("Bearer realm=\"tollgate\"");
		assertThat(this.decisions).isEmpty();
	}

	@Test
	void rolesWhenAListOrOneStringThenTheSameRoles() {
		RequireRolesGatewayFilterFactory.Config list = new RequireRolesGatewayFilterFactory.Config();
		list.setRoles(List.of("admin", " ops"));
		RequireRolesGatewayFilterFactory.Config string = new RequireRolesGatewayFilterFactory.Config();
		string.setRoles(List.of("admin, ops"));

		assertThat(RequireRolesGatewayFilterFactory.roles(list)).containsExactly("admin", "ops");
		assertThat(RequireRolesGatewayFilterFactory.roles(string)).containsExactly("admin", "ops");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "admin,", "on call", "ops\u00e9" })
	void rolesWhenARoleNoTokenCouldCarryThenRefused(String roles) {
		RequireRolesGatewayFilterFactory.Config config = new RequireRolesGatewayFilterFactory.Config();
		config.setRoles(List.of(roles));

		assertThatIllegalArgumentException().isThrownBy(() -> RequireRolesGatewayFilterFactory.roles(config));
	}

}
