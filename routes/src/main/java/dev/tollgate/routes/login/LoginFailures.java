package dev.tollgate.routes.login;

import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.observe.LoginOutcome;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.error.UpstreamFailureHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

/**
 * How a login that did not end with a session is answered and reported: the error the
 * user service's answer or failure becomes, the {@code tollgate.logins} outcome each
 * error counts as, and the one way such a login ends ({@link #fail}): reported once,
 * every header of the user service's answer removed, answered as problem+json.
 */
final class LoginFailures {

	/** The IssueTokens filter's logger, whichever of its parts logs. */
	private static final Log logger = LogFactory.getLog(IssueTokensGatewayFilterFactory.class);

	private final ProblemResponseWriter writer;

	private final AuthEvents events;

	LoginFailures(ProblemResponseWriter writer, AuthEvents events) {
		this.writer = writer;
		this.events = events;
	}

	/**
	 * Ends the login with {@code error}: reported once, then answered as problem+json.
	 */
	Mono<Void> fail(ServerWebExchange exchange, TollgateError error) {
		LoginAttempt attempt = LoginExchange.attempt(exchange);
		LoginOutcome outcome = outcome(error);
		LoginExchange.ended(exchange, outcome);
		this.events.login(outcome, null, null, attempt.username(), attempt.clientIp());
		CorsHeaders.reset(exchange, exchange.getResponse().getHeaders());
		return this.writer.write(exchange, error);
	}

	/** The metric outcome of a login answered with {@code error}. */
	static LoginOutcome outcome(TollgateError error) {
		LoginOutcome dpop = LoginOutcome.ofDpop(error.rejection());
		if (dpop != null) {
			return dpop;
		}
		return switch (error.status()) {
			case UNAUTHORIZED -> LoginOutcome.INVALID_CREDENTIALS;
			case TOO_MANY_REQUESTS -> LoginOutcome.LOCKED;
			case BAD_GATEWAY -> LoginOutcome.UPSTREAM_ERROR;
			case GATEWAY_TIMEOUT -> LoginOutcome.TIMEOUT;
			case SERVICE_UNAVAILABLE -> LoginOutcome.UNAVAILABLE;
			default -> LoginOutcome.REJECTED;
		};
	}

	/**
	 * The answer to a user service that refused the login with {@code status}: 401/403
	 * are the credentials' fault, another 4xx the request's, anything else the user
	 * service's.
	 */
	static TollgateError refusal(HttpStatusCode status) {
		if (status != null && (status.value() == 401 || status.value() == 403)) {
			return TollgateErrors.invalidCredentials();
		}
		if (status != null && status.is4xxClientError()) {
			return TollgateErrors.invalidRequest("login request rejected by the user service");
		}
		return TollgateErrors.badGateway("user service failed");
	}

	/**
	 * The answer to a user-service call that failed: 504 on a timeout, else 502, as for
	 * any route.
	 */
	static TollgateError upstreamFailure(Throwable ex) {
		TollgateError error = UpstreamFailureHandler.classify(ex);
		if (error == null) {
			error = TollgateErrors.badGateway("upstream unavailable");
		}
		logger.warn("Login: user service call failed (" + error.status().value() + "): " + ex.getClass().getName()
				+ ": " + ex.getMessage());
		return error;
	}

}
