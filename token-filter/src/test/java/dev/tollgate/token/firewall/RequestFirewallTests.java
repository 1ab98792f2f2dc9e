package dev.tollgate.token.firewall;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.tollgate.token.error.ProblemResponseWriter;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFirewallTests {

	private final AtomicReference<ServerWebExchange> passed = new AtomicReference<>();

	private final WebFilterChain chain = (exchange) -> {
		this.passed.set(exchange);
		return Mono.empty();
	};

	private MockServerWebExchange run(RequestFirewall firewall, MockServerHttpRequest request) {
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		StepVerifier.create(firewall.filter(exchange, this.chain)).verifyComplete();
		return exchange;
	}

	private static RequestFirewall firewall(int trustedProxies) {
		return new RequestFirewall(trustedProxies, new ProblemResponseWriter("tollgate"));
	}

	private HttpHeaders passedHeaders() {
		assertThat(this.passed.get()).as("passed on").isNotNull();
		return this.passed.get().getRequest().getHeaders();
	}

	@Test
	void filterWhenDotSegmentThen400InvalidRequestAndNothingPassedOn() {
		MockServerWebExchange exchange = run(firewall(0), MockServerHttpRequest.get("/public/../api/x").build());
		assertThat(this.passed.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.contains("\"error\":\"invalid_request\"")
			.contains("\"detail\":\"dot-segment in path\"");
	}

	@Test
	void filterWhenQueryHoldsDotsThenPassedOnUntouched() {
		MockServerHttpRequest request = MockServerHttpRequest.get("/api/files?path=../etc/passwd").build();
		run(firewall(0), request);
		assertThat(this.passed.get().getRequest()).isSameAs(request);
	}

	@Test
	void filterWhenClientSendsIdentityOrReroutingHeadersThenRemoved() {
		run(firewall(0),
				MockServerHttpRequest.get("/api/x")
					.header("X-User-Id", "admin")
					.header("x_user_roles", "admin")
					.header("X-USER-Tenant", "t")
					.header("X-Original-URL", "/admin")
					.header("X-Rewrite-URL", "/admin")
					.header("X-HTTP-Method-Override", "DELETE")
					.header("X-HTTP-Method", "DELETE")
					.header("x_method_override", "DELETE")
					.header("X-Real-IP", "10.0.0.1")
					.header("X-Username", "kept")
					.header("X-Original-Host", "kept")
					.build());
		assertThat(passedHeaders().headerNames()).containsExactlyInAnyOrder("X-Username", "X-Original-Host");
	}

	@Test
	void filterWhenProxiesTrustedThenRealIpKept() {
		run(firewall(1),
				MockServerHttpRequest.get("/api/x").header("X-Real-IP", "10.0.0.1").header("X-User-Id", "a").build());
		assertThat(passedHeaders().headerNames()).containsExactly("X-Real-IP");
	}

	@Test
	void filterWhenConnectionNamesProtectedHeadersThenOnlyThoseOptionsDropped() {
		run(firewall(0),
				MockServerHttpRequest.get("/api/x")
					.header(HttpHeaders.CONNECTION, "keep-alive, X-User-Id, x_user_roles, Authorization, X-Trace")
					.header(HttpHeaders.AUTHORIZATION, "Bearer t")
					.build());
		assertThat(passedHeaders().getConnection()).containsExactly("keep-alive", "X-Trace");
		assertThat(passedHeaders().getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer t");
	}

	@Test
	void filterWhenConnectionNamesOnlyProtectedHeadersThenConnectionRemoved() {
		run(firewall(0), MockServerHttpRequest.get("/api/x").header(HttpHeaders.CONNECTION, "authorization").build());
		assertThat(passedHeaders().containsHeader(HttpHeaders.CONNECTION)).isFalse();
	}

	@Test
	void filterWhenNothingToRemoveThenSameRequestPassedOn() {
		MockServerHttpRequest request = MockServerHttpRequest.get("/api/x")
			.header(HttpHeaders.CONNECTION, "keep-alive")
			.header(HttpHeaders.AUTHORIZATION, "Bearer t")
			.build();
		run(firewall(0), request);
		assertThat(this.passed.get().getRequest()).isSameAs(request);
	}

}
