package dev.tollgate.token.filter;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AccessTokenSettings;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.SigningAlgorithm;
import dev.tollgate.token.jwt.SigningKeys;
import dev.tollgate.token.jwt.ValidatedTokenCacheSettings;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class AccessTokenGlobalFilterTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	/** The defaults of {@code tollgate.*}. */
	private static final AccessTokenSettings SETTINGS = new AccessTokenSettings("tollgate", "api",
			Duration.ofMinutes(15), Duration.ofSeconds(30));

	private static final SigningKeys KEYS = SigningKeys.ephemeral(SigningAlgorithm.EdDSA);

	private static final AccessTokenIssuer ISSUER = new AccessTokenIssuer(SETTINGS, KEYS, CLOCK);

	private static final String TOKEN = ISSUER.issue("user-42", List.of("admin", "ops"), "family-7").value();

	/** Issued an hour ago, expired at {@link #NOW}. */
	private static final String EXPIRED = new AccessTokenIssuer(SETTINGS, KEYS,
			Clock.fixed(NOW.minus(Duration.ofHours(1)), ZoneOffset.UTC))
		.issue("user-42", List.of("admin"), "family-7")
		.value();

	private static final List<String> SPOOFED = List.of("X-User-Id", "x-user-roles", "X_User_Id", "X-USER-Anything",
			"x_user_roles");

	private final AccessTokenGlobalFilter filter = new AccessTokenGlobalFilter(
			new AccessTokenVerifier(SETTINGS, new ValidatedTokenCacheSettings(100_000), KEYS, CLOCK),
			new ProblemResponseWriter("tollgate"));

	private final AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

	private final GatewayFilterChain chain = (exchange) -> {
		this.forwarded.set(exchange);
		return Mono.empty();
	};

	private static Route.AsyncBuilder route() {
		return Route.async().id("orders").uri(URI.create("http://orders.internal")).predicate((exchange) -> true);
	}

	private static Route protectedRoute() {
		return route().build();
	}

	private static Route publicRoute() {
		return route().metadata(Map.of(AccessTokenGlobalFilter.AUTH_METADATA, "public")).build();
	}

	private static MockServerHttpRequest.BaseBuilder<?> request() {
		// look-alikes that are not identity headers and must reach the upstream untouched
		return MockServerHttpRequest.get("/orders/1").header("X-Username", "kept").header("X-Userinfo", "kept");
	}

	private static MockServerHttpRequest.BaseBuilder<?> spoofing(MockServerHttpRequest.BaseBuilder<?> request) {
		SPOOFED.forEach((name) -> request.header(name, "admin"));
		return request;
	}

	private MockServerWebExchange run(MockServerHttpRequest.BaseBuilder<?> request, Route route) {
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		if (route != null) {
			exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, route);
		}
		StepVerifier.create(this.filter.filter(exchange, this.chain)).verifyComplete();
		return exchange;
	}

	private static String body(MockServerWebExchange exchange) {
		return exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5));
	}

	private HttpHeaders forwardedHeaders() {
		assertThat(this.forwarded.get()).as("chain called").isNotNull();
		return this.forwarded.get().getRequest().getHeaders();
	}

	private void assertNotForwarded() {
		assertThat(this.forwarded.get()).as("chain called").isNull();
	}

	private void assertForwardedAnonymously() {
		forwardedHeaders();
		assertThat(this.forwarded.get().getAttributes()).doesNotContainKey(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR);
	}

	/**
	 * The verified identity is in the attribute; the request is passed on as it came (the
	 * identity headers are {@link IdentityHeadersFilter}'s job, as the request leaves,
	 * and client look-alikes the firewall's).
	 */
	private VerifiedAccessToken assertForwardedAsUser() {
		HttpHeaders headers = forwardedHeaders();
		assertThat(headers.getFirst("X-Username")).isEqualTo("kept");
		assertThat(headers.getFirst("X-Userinfo")).isEqualTo("kept");
		VerifiedAccessToken token = this.forwarded.get().getAttribute(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR);
		assertThat(token).isNotNull();
		assertThat(token.subject()).isEqualTo("user-42");
		assertThat(token.joinedRoles()).isEqualTo("admin,ops");
		assertThat(token.sessionId()).isEqualTo("family-7");
		return token;
	}

	private static void assertProblem(MockServerWebExchange exchange, HttpStatus status, String challenge,
			String error) {
		MockServerHttpResponse response = exchange.getResponse();
		assertThat(response.getStatusCode()).isEqualTo(status);
		assertThat(response.getHeaders().get(HttpHeaders.WWW_AUTHENTICATE)).containsExactly(challenge);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getHeaders().getCacheControl()).isEqualTo("no-store");
		String body = body(exchange);
		assertThat(body).contains("\"error\":\"" + error + "\"").contains("\"status\":" + status.value());
		assertThat(body).doesNotContain(TOKEN).doesNotContain(EXPIRED).doesNotContain("Exception");
	}

	@Test
	void filterWhenTokenValidThenForwardsIdentity() {
		MockServerWebExchange exchange = run(request().header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN),
				protectedRoute());
		assertForwardedAsUser();
		assertThat(this.forwarded.get()).as("no copy of the exchange").isSameAs(exchange);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer  %s", "Bearer %s  ", "BEARER %s" })
	void filterWhenBearerSpacingOrCaseVariesThenAccepted(String format) {
		run(request().header(HttpHeaders.AUTHORIZATION, String.format(format, TOKEN)), protectedRoute());
		assertForwardedAsUser();
	}

	@Test
	void filterWhenSchemeLowerCaseThenAccepted() {
		run(request().header(HttpHeaders.AUTHORIZATION, "bearer " + TOKEN), protectedRoute());
		assertForwardedAsUser();
	}

	@Test
	void filterWhenNoRolesThenEmptyJoinedRoles() {
		String token = ISSUER.issue("user-1", List.of(), "s").value();
		run(request().header(HttpHeaders.AUTHORIZATION, "Bearer " + token), protectedRoute());
		VerifiedAccessToken verified = this.forwarded.get().getAttribute(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR);
		assertThat(verified.subject()).isEqualTo("user-1");
		assertThat(verified.joinedRoles()).isEmpty();
	}

	@Test
	void filterWhenTokenMissingThenUnauthorizedWithoutErrorAttribute() {
		MockServerWebExchange exchange = run(spoofing(request()), protectedRoute());
		assertNotForwarded();
		assertProblem(exchange, HttpStatus.UNAUTHORIZED, "Bearer realm=\"tollgate\"", "invalid_token");
	}

	@Test
	void filterWhenNoRouteAttributeThenProtected() {
		MockServerWebExchange exchange = run(request(), null);
		assertNotForwarded();
		assertProblem(exchange, HttpStatus.UNAUTHORIZED, "Bearer realm=\"tollgate\"", "invalid_token");
	}

	@Test
	void filterWhenTokenExpiredThenUnauthorizedWithDescription() {
		MockServerWebExchange exchange = run(request().header(HttpHeaders.AUTHORIZATION, "Bearer " + EXPIRED),
				protectedRoute());
		assertNotForwarded();
		assertProblem(exchange, HttpStatus.UNAUTHORIZED,
				"Bearer realm=\"tollgate\", error=\"invalid_token\", error_description=\"token expired\"",
				"invalid_token");
		assertThat(body(exchange)).contains("\"detail\":\"token expired\"");
	}

	@Test
	void filterWhenTokenTamperedThenUnauthorizedAndBodyWithoutToken() {
		String tampered = TOKEN.substring(0, TOKEN.length() - 4) + "AAAA";
		MockServerWebExchange exchange = run(request().header(HttpHeaders.AUTHORIZATION, "Bearer " + tampered),
				protectedRoute());
		assertNotForwarded();
		assertProblem(exchange, HttpStatus.UNAUTHORIZED,
				"Bearer realm=\"tollgate\", error=\"invalid_token\", error_description=\"invalid signature\"",
				"invalid_token");
		assertThat(body(exchange)).doesNotContain(tampered).doesNotContain(tampered.substring(0, 20));
	}

	@Test
	void filterWhenTwoAuthorizationHeadersThenBadRequest() {
		MockServerWebExchange exchange = run(
				request().header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN, "Bearer " + TOKEN), protectedRoute());
		assertNotForwarded();
		assertProblem(exchange, HttpStatus.BAD_REQUEST,
				"Bearer realm=\"tollgate\", error=\"invalid_request\", error_description=\"more than one Authorization header\"",
				"invalid_request");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer", "bearer", "Bearer ", "Bearer  a b", "Bearer a\"b", "Bearer a,b",
			"Bearer \u00e9t\u00e9" })
	void filterWhenBearerValueMalformedThenBadRequest(String authorization) {
		MockServerWebExchange exchange = run(request().header(HttpHeaders.AUTHORIZATION, authorization),
				protectedRoute());
		assertNotForwarded();
		assertProblem(exchange, HttpStatus.BAD_REQUEST,
				"Bearer realm=\"tollgate\", error=\"invalid_request\", error_description=\"malformed Authorization header\"",
				"invalid_request");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Basic dXNlcjpwYXNz", "Digest username=\"u\"", "Bearerx abc", "" })
	void filterWhenOtherSchemeThenUnauthorizedWithoutErrorAttribute(String authorization) {
		MockServerWebExchange exchange = run(request().header(HttpHeaders.AUTHORIZATION, authorization),
				protectedRoute());
		assertNotForwarded();
		assertProblem(exchange, HttpStatus.UNAUTHORIZED, "Bearer realm=\"tollgate\"", "invalid_token");
	}

	@Test
	void filterWhenPublicRouteWithoutTokenThenForwardedAnonymously() {
		run(spoofing(request()), publicRoute());
		assertForwardedAnonymously();
	}

	@Test
	void filterWhenPublicRouteWithInvalidTokenThenForwardedAnonymously() {
		run(spoofing(request().header(HttpHeaders.AUTHORIZATION, "Bearer " + EXPIRED)), publicRoute());
		assertForwardedAnonymously();
	}

	@Test
	void filterWhenPublicRouteWithMalformedAuthorizationThenForwardedAnonymously() {
		run(spoofing(request().header(HttpHeaders.AUTHORIZATION, "Bearer  a b")), publicRoute());
		assertForwardedAnonymously();
	}

	@Test
	void filterWhenPublicRouteWithValidTokenThenForwardsIdentity() {
		run(spoofing(request().header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)), publicRoute());
		assertForwardedAsUser();
	}

	@Test
	void filterWhenAuthMetadataOtherValueThenProtected() {
		MockServerWebExchange exchange = run(request(),
				route().metadata(Map.of(AccessTokenGlobalFilter.AUTH_METADATA, "required")).build());
		assertNotForwarded();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void filterWhenRouteCarriesOrderedTokenExemptFilterThenOpen() {
		TokenExemptFilter exempt = (exchange, chain) -> chain.filter(exchange);
		run(spoofing(request()), route().filter(new OrderedGatewayFilter(exempt, 1)).build());
		assertForwardedAnonymously();
	}

	@Test
	void filterWhenRouteCarriesTokenExemptFilterThenOpen() {
		TokenExemptFilter exempt = (exchange, chain) -> chain.filter(exchange);
		run(spoofing(request()), route().filter(exempt).build());
		assertForwardedAnonymously();
	}

	@Test
	void filterWhenRouteCarriesOtherFiltersOnlyThenProtected() {
		GatewayFilter other = (exchange, chain) -> chain.filter(exchange);
		MockServerWebExchange exchange = run(request(), route().filter(new OrderedGatewayFilter(other, 1)).build());
		assertNotForwarded();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void getOrderWhenComparedWithRouteFiltersThenRunsFirst() {
		assertThat(this.filter.getOrder()).isEqualTo(AccessTokenGlobalFilter.ORDER).isLessThan(1);
		assertThat(this.filter.getOrder()).isGreaterThan(Ordered.HIGHEST_PRECEDENCE);
	}

}
