package dev.tollgate.routes.login;

import dev.tollgate.routes.observe.LoginOutcome;

import org.springframework.web.server.ServerWebExchange;

/**
 * What the parts of one login share through its exchange: who is trying to log in, and
 * how the login ended. The attempt is known before the body is read (the client's
 * address) and again once it is (the username); the outcome is set once, by whichever
 * part answers, and read by the login guard when the attempt ends.
 */
final class LoginExchange {

	private static final String ATTEMPT_ATTR = LoginExchange.class.getName() + ".attempt";

	private static final String OUTCOME_ATTR = LoginExchange.class.getName() + ".outcome";

	private static final LoginAttempt UNKNOWN = new LoginAttempt(null, null);

	private LoginExchange() {
	}

	/** Records who is trying to log in. */
	static void attempt(ServerWebExchange exchange, LoginAttempt attempt) {
		exchange.getAttributes().put(ATTEMPT_ATTR, attempt);
	}

	/**
	 * Who is trying to log in, as far as known: neither username nor address before
	 * {@link #attempt} was told.
	 */
	static LoginAttempt attempt(ServerWebExchange exchange) {
		LoginAttempt attempt = exchange.getAttribute(ATTEMPT_ATTR);
		return (attempt != null) ? attempt : UNKNOWN;
	}

	/** Records how the login ended. */
	static void ended(ServerWebExchange exchange, LoginOutcome outcome) {
		exchange.getAttributes().put(OUTCOME_ATTR, outcome);
	}

	/**
	 * How the login ended, or {@code null} while it has not (or the client went away
	 * first).
	 */
	static LoginOutcome outcome(ServerWebExchange exchange) {
		return exchange.getAttribute(OUTCOME_ATTR);
	}

}
