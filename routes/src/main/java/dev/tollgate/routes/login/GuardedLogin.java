package dev.tollgate.routes.login;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.tollgate.routes.observe.LoginOutcome;
import dev.tollgate.token.error.TollgateErrors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * A login under the {@link LoginGuard}: admitted first (else 429
 * {@code too_many_attempts} with {@code Retry-After}, and the user service is not
 * called), then ended once with what the guard counts of it, read from the outcome the
 * login recorded on its exchange: after the answer is written (the attempt counts as in
 * flight until then), and also when the client goes away.
 */
final class GuardedLogin {

	/** The IssueTokens filter's logger, whichever of its parts logs. */
	private static final Log logger = LogFactory.getLog(IssueTokensGatewayFilterFactory.class);

	private final LoginGuard guard;

	private final LoginFailures failures;

	GuardedLogin(LoginGuard guard, LoginFailures failures) {
		this.guard = guard;
		this.failures = failures;
	}

	/**
	 * Runs {@code login} if the guard admits {@code attempt}, then tells the guard how it
	 * ended.
	 */
	Mono<Void> run(ServerWebExchange exchange, LoginAttempt attempt, Supplier<Mono<Void>> login) {
		return this.guard.admit(attempt).flatMap((admission) -> {
			if (!admission.admitted()) {
				return this.failures.fail(exchange, TollgateErrors.tooManyAttempts(admission.retryAfterSeconds()));
			}
			AtomicBoolean ended = new AtomicBoolean();
			Supplier<Mono<Void>> end = () -> ended.compareAndSet(false, true)
					? this.guard.end(attempt, result(LoginExchange.outcome(exchange))).onErrorResume((ex) -> {
						logger.warn("Login: could not record the attempt's result: " + ex.getMessage());
						return Mono.empty();
					}) : Mono.empty();
			return login.get().then(Mono.defer(end)).doOnCancel(() -> end.get().subscribe());
		});
	}

	/**
	 * What the guard counts of a login that ended with {@code outcome} ({@code null}: it
	 * did not end).
	 */
	static LoginGuard.Result result(LoginOutcome outcome) {
		if (outcome == LoginOutcome.SUCCESS) {
			return LoginGuard.Result.SUCCEEDED;
		}
		return (outcome == LoginOutcome.INVALID_CREDENTIALS) ? LoginGuard.Result.FAILED : LoginGuard.Result.NOT_COUNTED;
	}

}
