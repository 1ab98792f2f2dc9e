package dev.tollgate.routes.login;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import dev.tollgate.routes.observe.LoginOutcome;
import dev.tollgate.token.error.TollgateErrors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LoginFailures}: what a failed login answers, how it counts, and the one way it
 * ends.
 */
class LoginFailuresTests {

	private final LoginParts parts = new LoginParts();

	@AfterEach
	void close() {
		this.parts.close();
	}

	@Test
	void failWhenCalledThenProblemJsonAloneCountedOnceAndTheOutcomeOnTheExchange() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/auth/login"));
		exchange.getResponse().getHeaders().add(HttpHeaders.SET_COOKIE, "user-service-session=secret");
		LoginExchange.attempt(exchange, new LoginAttempt("alice", "203.0.113.7"));

		this.parts.failures.fail(exchange, TollgateErrors.invalidCredentials()).block(Duration.ofSeconds(5));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
		assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"error\":\"invalid_credentials\"");
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.INVALID_CREDENTIALS);
		assertThat(LoginExchange.outcome(exchange)).isEqualTo(LoginOutcome.INVALID_CREDENTIALS);
	}

	@ParameterizedTest
	@CsvSource({ "401, INVALID_CREDENTIALS", "429, LOCKED", "502, UPSTREAM_ERROR", "504, TIMEOUT", "503, UNAVAILABLE",
			"400, REJECTED", "403, REJECTED", "413, REJECTED" })
	void outcomeWhenAnErrorOfThisStatusThenThisOutcome(int status, String outcome) {
		LoginOutcome expected = LoginOutcome.valueOf(outcome);
		assertThat(LoginFailures.outcome(switch (status) {
			case 401 -> TollgateErrors.invalidCredentials();
			case 429 -> TollgateErrors.tooManyAttempts(1);
			case 502 -> TollgateErrors.badGateway("x");
			case 504 -> TollgateErrors.gatewayTimeout("x");
			case 503 -> TollgateErrors.temporarilyUnavailable("x");
			case 400 -> TollgateErrors.invalidRequest("x");
			case 403 -> TollgateErrors.accessDenied("x");
			default -> TollgateErrors.payloadTooLarge("x");
		})).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource({ "401, invalid_credentials", "403, invalid_credentials", "400, invalid_request", "404, invalid_request",
			"500, bad_gateway", "302, bad_gateway" })
	void refusalWhenTheUserServiceAnsweredThisStatusThenThisError(int status, String code) {
		assertThat(LoginFailures.refusal(HttpStatusCode.valueOf(status)).code()).isEqualTo(code);
	}

	@Test
	void upstreamFailureWhenATimeoutThen504ElseBadGateway() {
		assertThat(LoginFailures.upstreamFailure(new TimeoutException("slow")).status())
			.isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
		assertThat(LoginFailures.upstreamFailure(new IOException("connection refused")).status())
			.isEqualTo(HttpStatus.BAD_GATEWAY);
	}

}
