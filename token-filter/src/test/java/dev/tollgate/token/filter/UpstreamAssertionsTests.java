package dev.tollgate.token.filter;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.tollgate.test.MutableClock;
import dev.tollgate.token.jwt.AssertionIssuer;
import dev.tollgate.token.jwt.SigningAlgorithm;
import dev.tollgate.token.jwt.SigningKeys;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamAssertionsTests {

	private final MutableClock clock = MutableClock.startingNow();

	private final AssertionIssuer issuer = new AssertionIssuer(SigningKeys.ephemeral(SigningAlgorithm.EdDSA),
			"tollgate", Duration.ofSeconds(60), this.clock);

	private final UpstreamAssertions assertions = new UpstreamAssertions(this.issuer, "X-Tollgate-Assertion", true,
			1000, this.clock);

	private final IdentityHeadersFilter filter = new IdentityHeadersFilter(this.assertions);

	@Test
	void filterWhenTokenVerifiedOnAGuardedRouteThenAssertionForTheRouteIdAndTheClientsOneRemoved() {
		HttpHeaders headers = outgoing();
		headers.add("x_tollgate_assertion", "forged-too");

		HttpHeaders filtered = this.filter.filter(headers, exchange(route("orders", Map.of()), token("jti-1")));

		assertThat(filtered.get("X-Tollgate-Assertion")).hasSize(1).first().isNotEqualTo("forged");
		assertThat(filtered.headerNames()).noneMatch((name) -> name.equalsIgnoreCase("x_tollgate_assertion"));
		assertThat(claims(filtered.getFirst("X-Tollgate-Assertion"))).contains("\"aud\":\"orders\"")
			.contains("\"sub\":\"u-1001\"");
		assertThat(filtered.getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer the-token");
	}

	@Test
	void filterWhenRouteNamesAnAudienceThenThatAudience() {
		HttpHeaders filtered = this.filter.filter(outgoing(),
				exchange(route("orders", Map.of("audience", "orders-service")), token("jti-1")));

		assertThat(claims(filtered.getFirst("X-Tollgate-Assertion"))).contains("\"aud\":\"orders-service\"");
	}

	@Test
	void filterWhenPublicRouteOrNoTokenThenNoAssertionAndTheClientsOneRemoved() {
		HttpHeaders publicRoute = this.filter.filter(outgoing(),
				exchange(route("catalog", Map.of("auth", "public")), token("jti-1")));
		HttpHeaders anonymous = this.filter.filter(outgoing(), exchange(route("orders", Map.of()), null));

		assertThat(publicRoute.headerNames()).noneMatch((name) -> name.equalsIgnoreCase("X-Tollgate-Assertion"));
		assertThat(anonymous.headerNames()).noneMatch((name) -> name.equalsIgnoreCase("X-Tollgate-Assertion"));
	}

	@Test
	void filterWhenRouteSaysForwardAccessTokenFalseThenNoAuthorizationUpstream() {
		HttpHeaders filtered = this.filter.filter(outgoing(),
				exchange(route("orders", Map.of("forward-access-token", "false")), token("jti-1")));

		assertThat(filtered.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse();
		assertThat(filtered.containsHeader("X-Tollgate-Assertion")).isTrue();
	}

	@Test
	void filterWhenGlobalDefaultIsNotToForwardThenRouteMayStillAskForIt() {
		IdentityHeadersFilter filter = new IdentityHeadersFilter(
				new UpstreamAssertions(this.issuer, "X-Tollgate-Assertion", false, 1000, this.clock));

		assertThat(filter.filter(outgoing(), exchange(route("orders", Map.of()), token("jti-1")))
			.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse();
		assertThat(filter
			.filter(outgoing(), exchange(route("orders", Map.of("forward-access-token", true)), token("jti-1")))
			.containsHeader(HttpHeaders.AUTHORIZATION)).isTrue();
	}

	@Test
	void assertionWhenSameTokenAndAudienceThenReusedUntilAThirdOfItsLifetimeIsLeft() {
		VerifiedAccessToken token = token("jti-1");
		String first = this.assertions.assertion(token, "orders");

		this.clock.advance(Duration.ofSeconds(39));
		assertThat(this.assertions.assertion(token, "orders")).isSameAs(first);
		assertThat(this.assertions.assertion(token, "billing")).isNotEqualTo(first);
		assertThat(this.assertions.assertion(token("jti-2"), "orders")).isNotEqualTo(first);

		this.clock.advance(Duration.ofSeconds(2));
		assertThat(this.assertions.assertion(token, "orders")).isNotEqualTo(first);
	}

	@Test
	void assertionWhenCutShortByTheAccessTokensExpiryThenReusedUntilThen() {
		VerifiedAccessToken token = new VerifiedAccessToken("u-1001", List.of("user"), "s-1",
				this.clock.instant().plusSeconds(10), null);
		String first = this.assertions.assertion(token, "orders");

		this.clock.advance(Duration.ofSeconds(9));

		assertThat(this.assertions.assertion(token, "orders")).isSameAs(first);
	}

	private static String claims(String assertion) {
		return new String(Base64.getUrlDecoder().decode(assertion.split("\\.")[1]));
	}

	private static HttpHeaders outgoing() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("Accept", "*/*");
		headers.add("X-Tollgate-Assertion", "forged");
		headers.add(HttpHeaders.AUTHORIZATION, "Bearer the-token");
		return headers;
	}

	private VerifiedAccessToken token(String id) {
		return (id != null)
				? new VerifiedAccessToken("u-1001", List.of("user"), "s-1", this.clock.instant().plusSeconds(900), null)
				: null;
	}

	private static Route route(String id, Map<String, Object> metadata) {
		return Route.async()
			.id(id)
			.uri(URI.create("http://upstream"))
			.predicate((exchange) -> true)
			.metadata(metadata)
			.build();
	}

	private static MockServerWebExchange exchange(Route route, VerifiedAccessToken token) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/x"));
		exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, route);
		if (token != null) {
			exchange.getAttributes().put(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR, token);
		}
		return exchange;
	}

}
