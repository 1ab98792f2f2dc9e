package dev.tollgate.routes.login;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tollgate.routes.TestTokens;
import dev.tollgate.routes.client.BindingSettings;
import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.client.ClientBindingResolver;
import dev.tollgate.routes.http.BodyReader;
import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.routes.http.TokenResponses;
import dev.tollgate.routes.observe.LoginOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code IssueTokens} filter as a route runs it, its parts together, on a memory
 * store.
 */
class IssueTokensFilterTests {

	private static final String CREDENTIALS = "{\"username\":\"alice\",\"password\":\"s3cret\"}";

	private final LoginParts parts = new LoginParts();

	/** One failure locks a (username, address) pair for a minute. */
	private final LoginGuard guard = new InMemoryLoginGuard(new LoginLimits(1, 10, Duration.ofMinutes(15).toMillis(),
			Duration.ofMinutes(1).toMillis(), Duration.ofMinutes(15).toMillis(), Duration.ofSeconds(10).toMillis()),
			TestTokens.CLOCK);

	private final GatewayFilter filter = issueTokens();

	private final AtomicInteger userServiceCalls = new AtomicInteger();

	@AfterEach
	void close() {
		this.parts.close();
	}

	private GatewayFilter issueTokens() {
		CookieSettings cookie = new CookieSettings(false, "__Secure-tollgate-refresh", "/auth", List.of());
		ClientAddressResolver clients = new ClientAddressResolver(0);
		IssueTokensGatewayFilterFactory factory = new IssueTokensGatewayFilterFactory(this.parts.store,
				new TokenResponses(TestTokens.ISSUER, cookie, TestTokens.CLOCK), TestTokens.WRITER, this.parts.events,
				clients, new BodyReader(Duration.ofSeconds(1)), new LoginSettings(Duration.ofSeconds(5), 1024), cookie,
				this.guard, new ClientBindingResolver(BindingSettings.OFF, clients));
		return factory.apply(new IssueTokensGatewayFilterFactory.Config());
	}

	private MockServerWebExchange login(String body, GatewayFilterChain userService) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.post("/auth/login").contentType(MediaType.APPLICATION_JSON).body(body));
		this.filter.filter(exchange, (forwarded) -> {
			this.userServiceCalls.incrementAndGet();
			return userService.filter(forwarded);
		}).block(Duration.ofSeconds(5));
		return exchange;
	}

	@Test
	void filterWhenTheUserServiceVouchesThenTheTokenResponseAndASession() {
		MockServerWebExchange exchange = login(CREDENTIALS,
				LoginParts.userService(HttpStatus.OK, "{\"userId\":\"u-1001\",\"roles\":[\"user\"]}"));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.SERVER)).isNull();
		JsonNode answer = JsonMapper.shared().readTree(exchange.getResponse().getBodyAsString().block());
		assertThat(answer.get("tokenType").stringValue()).isEqualTo("Bearer");
		assertThat(this.parts.sessionsOf("u-1001"))
			.containsExactly(answer.get("refreshToken").stringValue().substring(0, 22));
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.SUCCESS);
	}

	@Test
	void filterWhenTheBodyIsLargerThanAllowedThen413AndTheUserServiceNeverCalled() {
		MockServerWebExchange exchange = login("{\"username\":\"" + "a".repeat(2000) + "\"}",
				LoginParts.userService(HttpStatus.OK, "{\"userId\":\"u-1001\"}"));

		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(413);
		assertThat(this.userServiceCalls).hasValue(0);
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.REJECTED);
	}

	@Test
	void filterWhenTheUsernameFailedFromThisAddressThenLockedWithoutCallingTheUserService() {
		login(CREDENTIALS, LoginParts.userService(HttpStatus.UNAUTHORIZED, "{}"));

		MockServerWebExchange locked = login(CREDENTIALS,
				LoginParts.userService(HttpStatus.OK, "{\"userId\":\"u-1001\"}"));

		assertThat(locked.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(locked.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("60");
		assertThat(this.userServiceCalls).hasValue(1);
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.INVALID_CREDENTIALS, LoginOutcome.LOCKED);
	}

	@Test
	void filterWhenAnotherUsernameFromTheSameAddressThenNotLocked() {
		login(CREDENTIALS, LoginParts.userService(HttpStatus.UNAUTHORIZED, "{}"));

		MockServerWebExchange bob = login("{\"username\":\"bob\",\"password\":\"x\"}",
				LoginParts.userService(HttpStatus.OK, "{\"userId\":\"u-2002\"}"));

		assertThat(bob.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void filterWhenTheAnswerNamesNoUsableUserThenBadGatewayAndNoSession() {
		MockServerWebExchange exchange = login(CREDENTIALS,
				LoginParts.userService(HttpStatus.OK, "{\"userId\":\"u 1001\"}"));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(this.parts.sessionsOf("u 1001")).isEmpty();
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.UPSTREAM_ERROR);
	}

	@Test
	void toStringWhenConfiguredThenTheFieldsItReads() {
		assertThat(this.filter).hasToString("IssueTokens[userIdField=userId, rolesField=roles]");
	}

}
