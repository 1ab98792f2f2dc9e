package dev.tollgate.routes.login;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tollgate.routes.observe.LoginOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GuardedLogin}: admitted or refused first, ended once with what the guard counts
 * of it.
 */
class GuardedLoginTests {

	private static final LoginAttempt ATTEMPT = new LoginAttempt("alice", "203.0.113.7");

	private final LoginParts parts = new LoginParts();

	/** What the guard was told, in order. */
	private final List<String> told = new CopyOnWriteArrayList<>();

	private final AtomicBoolean called = new AtomicBoolean();

	@AfterEach
	void close() {
		this.parts.close();
	}

	private GuardedLogin guarded(LoginGuard.Admission admission) {
		return new GuardedLogin(new LoginGuard() {

			@Override
			public Mono<Admission> admit(LoginAttempt attempt) {
				GuardedLoginTests.this.told.add("admit " + attempt.username());
				return Mono.just(admission);
			}

			@Override
			public Mono<Void> end(LoginAttempt attempt, Result result) {
				GuardedLoginTests.this.told.add("end " + result);
				return Mono.empty();
			}

		}, this.parts.failures);
	}

	private MockServerWebExchange run(GuardedLogin guarded, LoginOutcome loginEndsWith) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/auth/login"));
		LoginExchange.attempt(exchange, ATTEMPT);
		guarded.run(exchange, ATTEMPT, () -> Mono.fromRunnable(() -> {
			this.called.set(true);
			LoginExchange.ended(exchange, loginEndsWith);
		})).block(Duration.ofSeconds(5));
		return exchange;
	}

	@Test
	void runWhenLockedThen429WithRetryAfterAndTheUserServiceNotCalled() {
		MockServerWebExchange exchange = run(guarded(LoginGuard.Admission.locked(61_500)), LoginOutcome.SUCCESS);

		assertThat(this.called).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("62");
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.LOCKED);
		assertThat(this.told).containsExactly("admit alice");
	}

	@Test
	void runWhenAdmittedAndTheCredentialsRefusedThenEndedOnceAsFailed() {
		run(guarded(LoginGuard.Admission.ADMITTED), LoginOutcome.INVALID_CREDENTIALS);

		assertThat(this.called).isTrue();
		assertThat(this.told).containsExactly("admit alice", "end FAILED");
	}

	@Test
	void runWhenAdmittedAndASessionStartedThenEndedOnceAsSucceeded() {
		run(guarded(LoginGuard.Admission.ADMITTED), LoginOutcome.SUCCESS);

		assertThat(this.told).containsExactly("admit alice", "end SUCCEEDED");
	}

	@Test
	void runWhenAdmittedAndTheUserServiceFailedThenEndedAsNotCounted() {
		run(guarded(LoginGuard.Admission.ADMITTED), LoginOutcome.UPSTREAM_ERROR);

		assertThat(this.told).containsExactly("admit alice", "end NOT_COUNTED");
	}

	@Test
	void runWhenTheClientGoesAwayThenEndedOnceAsNotCounted() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/auth/login"));
		guarded(LoginGuard.Admission.ADMITTED).run(exchange, ATTEMPT, Mono::never).subscribe().dispose();

		assertThat(this.told).containsExactly("admit alice", "end NOT_COUNTED");
	}

	@Test
	void resultWhenEachOutcomeThenWhatTheGuardCounts() {
		assertThat(GuardedLogin.result(LoginOutcome.SUCCESS)).isEqualTo(LoginGuard.Result.SUCCEEDED);
		assertThat(GuardedLogin.result(LoginOutcome.INVALID_CREDENTIALS)).isEqualTo(LoginGuard.Result.FAILED);
		assertThat(GuardedLogin.result(LoginOutcome.TIMEOUT)).isEqualTo(LoginGuard.Result.NOT_COUNTED);
		assertThat(GuardedLogin.result(null)).isEqualTo(LoginGuard.Result.NOT_COUNTED);
	}

}
