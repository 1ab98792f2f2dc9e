package dev.tollgate.routes.login;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.tollgate.routes.observe.LoginOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UserServiceCall} and its {@link UserServiceResponse}: the buffered credentials
 * go down the route, the user service's answer never reaches the client, and the deadline
 * covers its whole answer.
 */
class UserServiceCallTests {

	private static final byte[] CREDENTIALS = "{\"username\":\"alice\",\"password\":\"s3cret\"}"
		.getBytes(StandardCharsets.UTF_8);

	private final LoginParts parts = new LoginParts();

	private final UserServiceCall call = new UserServiceCall(Duration.ofMillis(300), this.parts.failures);

	/** The 2xx answer the login was handed, if any. */
	private final AtomicReference<String> answered = new AtomicReference<>();

	@AfterEach
	void close() {
		this.parts.close();
	}

	private MockServerWebExchange forward(GatewayFilterChain userService) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/auth/login")
			.header(HttpHeaders.ACCEPT_ENCODING, "gzip")
			.header(HttpHeaders.TRANSFER_ENCODING, "chunked"));
		this.call
			.forward(exchange, userService, CREDENTIALS,
					(answer) -> Mono.fromRunnable(() -> this.answered.set(new String(answer, StandardCharsets.UTF_8))))
			.block(Duration.ofSeconds(5));
		return exchange;
	}

	@Test
	void forwardWhenTheUserServiceAnswers2xxThenItsBodyGoesToTheLoginNotTheClient() {
		AtomicReference<String> received = new AtomicReference<>();
		MockServerWebExchange exchange = forward((login) -> {
			received.set(login.getRequest().getHeaders().getContentLength() + " "
					+ login.getRequest().getHeaders().getFirst(HttpHeaders.ACCEPT_ENCODING) + " "
					+ login.getRequest().getHeaders().getFirst(HttpHeaders.TRANSFER_ENCODING) + " "
					+ DataBufferUtils.join(login.getRequest().getBody())
						.map((buffer) -> buffer.toString(StandardCharsets.UTF_8))
						.block());
			return LoginParts.userService(HttpStatus.OK, "{\"userId\":\"u-1\"}").filter(login);
		});

		assertThat(received.get())
			.isEqualTo(CREDENTIALS.length + " null null " + new String(CREDENTIALS, StandardCharsets.UTF_8));
		assertThat(this.answered.get()).isEqualTo("{\"userId\":\"u-1\"}");
		assertThat(exchange.getResponse().isCommitted()).isFalse();
	}

	@Test
	void forwardWhenTheUserServiceRefusesTheCredentialsThenInvalidCredentialsAndNothingOfItsAnswer() {
		MockServerWebExchange exchange = forward(
				LoginParts.userService(HttpStatus.FORBIDDEN, "{\"reason\":\"locked in LDAP\"}"));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
		assertThat(exchange.getResponse().getBodyAsString().block()).contains("invalid_credentials")
			.doesNotContain("LDAP");
		assertThat(this.answered.get()).isNull();
	}

	@Test
	void forwardWhenTheAnswerIsLargerThanAnyLoginAnswerThenBadGateway() {
		MockServerWebExchange exchange = forward(LoginParts.userService(HttpStatus.OK,
				"{\"userId\":\"" + "u".repeat(UserServiceResponse.MAX_USER_RESPONSE_BYTES) + "\"}"));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(this.answered.get()).isNull();
	}

	@Test
	void forwardWhenNoAnswerWithinTheDeadlineThenGatewayTimeout() {
		MockServerWebExchange exchange = forward((login) -> Mono.never());

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.TIMEOUT);
	}

	@Test
	void forwardWhenAnsweredBeforeTheDeadlineThenWhatFollowsIsNotCutShort() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/auth/login"));
		this.call
			.forward(exchange, LoginParts.userService(HttpStatus.OK, "{}"), CREDENTIALS,
					(answer) -> Mono.delay(Duration.ofMillis(600))
						.then(Mono.fromRunnable(() -> this.answered.set("late"))))
			.block(Duration.ofSeconds(5));

		assertThat(this.answered.get()).isEqualTo("late");
		assertThat(exchange.getResponse().getStatusCode()).isNotEqualTo(HttpStatus.GATEWAY_TIMEOUT);
	}

	@Test
	void forwardWhenTheUserServiceCannotBeReachedThenBadGateway() {
		MockServerWebExchange exchange = forward((login) -> Mono.error(new IOException("connection refused")));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.UPSTREAM_ERROR);
	}

}
