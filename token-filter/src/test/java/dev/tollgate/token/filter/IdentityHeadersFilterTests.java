package dev.tollgate.token.filter;

import java.time.Instant;
import java.util.List;

import dev.tollgate.token.jwt.VerifiedAccessToken;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityHeadersFilterTests {

	private final IdentityHeadersFilter filter = new IdentityHeadersFilter();

	private static HttpHeaders outgoing() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("X-User-Id", "admin");
		headers.add("x_user_roles", "admin");
		headers.add("X-USER-Tenant", "t");
		headers.add("Accept", "*/*");
		return headers;
	}

	@Test
	void filterWhenTokenVerifiedThenIdentityFromTokenOnly() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/x"));
		exchange.getAttributes()
			.put(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR, new VerifiedAccessToken("u-42", List.of("user", "ops"), "s",
					Instant.parse("2026-03-01T12:00:00Z"), null));
		HttpHeaders filtered = this.filter.filter(outgoing(), exchange);
		assertThat(filtered.headerNames()).containsExactlyInAnyOrder("Accept", "X-User-Id", "X-User-Roles");
		assertThat(filtered.get("X-User-Id")).containsExactly("u-42");
		assertThat(filtered.get("X-User-Roles")).containsExactly("user,ops");
	}

	@Test
	void filterWhenAnonymousThenNoIdentityHeaderAtAll() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/public/x"));
		assertThat(this.filter.filter(outgoing(), exchange).headerNames()).containsExactly("Accept");
	}

	@Test
	void filterWhenInputReadOnlyThenStillFiltered() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get("/public/x").header("X-User-Id", "admin"));
		assertThat(this.filter.filter(exchange.getRequest().getHeaders(), exchange).headerNames()).isEmpty();
	}

	@Test
	void filterWhenRequestCarriesADpopProofThenNotForwarded() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/x"));
		HttpHeaders outgoing = outgoing();
		outgoing.add("dpop", "header.payload.signature");
		outgoing.add("DPoP-Nonce", "kept: not a proof");
		assertThat(this.filter.filter(outgoing, exchange).headerNames()).containsExactlyInAnyOrder("Accept",
				"DPoP-Nonce");
	}

	@Test
	void orderWhenComparedWithHopByHopRemovalThenLater() {
		assertThat(this.filter.getOrder()).isGreaterThan(
				new org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter().getOrder());
	}

}
