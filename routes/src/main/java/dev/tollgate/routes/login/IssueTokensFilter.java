package dev.tollgate.routes.login;

import dev.tollgate.routes.dpop.ProvenKey;
import dev.tollgate.routes.http.BodyReader;
import dev.tollgate.routes.login.UserServiceAnswer.Identity;
import dev.tollgate.routes.session.StoreUnavailableException;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.filter.TokenExemptFilter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * One route's {@code IssueTokens} filter: a login, step by step. The gateway's CORS
 * headers are saved, the headers alone (a DPoP proof included) may refuse the login
 * ({@link LoginPrechecks}), the body is read whole and bounded ({@link BodyReader}), the
 * {@link LoginGuard} admits the attempt ({@link GuardedLogin}), the user service is
 * called within the deadline ({@link UserServiceCall}), and its 2xx answer, if it names a
 * user ({@link UserServiceAnswer}), starts a session ({@link SessionStarter}). Every
 * other end goes through {@link LoginFailures}.
 */
final class IssueTokensFilter implements TokenExemptFilter, Ordered {

	/** The IssueTokens filter's logger, whichever of its parts logs. */
	private static final Log logger = LogFactory.getLog(IssueTokensGatewayFilterFactory.class);

	private final String userIdField;

	private final String rolesField;

	private final String usernameField;

	private final IssueTokensGatewayFilterFactory.Parts parts;

	IssueTokensFilter(IssueTokensGatewayFilterFactory.Config config, IssueTokensGatewayFilterFactory.Parts parts) {
		this.userIdField = config.getUserIdField();
		this.rolesField = config.getRolesField();
		this.usernameField = config.getUsernameField();
		this.parts = parts;
	}

	@Override
	public int getOrder() {
		return IssueTokensGatewayFilterFactory.ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		CorsHeaders.remember(exchange);
		ServerHttpRequest request = exchange.getRequest();
		String clientIp = this.parts.clients().resolve(request);
		LoginExchange.attempt(exchange, new LoginAttempt(null, clientIp));
		return this.parts.prechecks()
			.check(request)
			.flatMap((key) -> this.parts.bodies().read(request.getBody(), this.parts.maxBodyBytes()).flatMap((body) -> {
				LoginAttempt attempt = LoginAttempt.of(body, this.usernameField, clientIp);
				LoginExchange.attempt(exchange, attempt);
				return this.parts.guard()
					.run(exchange, attempt, () -> this.parts.userService()
						.forward(exchange, chain, body, (answer) -> answered(exchange, answer, key)));
			}))
			.onErrorResume(TollgateErrorException.class, (ex) -> this.parts.failures().fail(exchange, ex.error()))
			.onErrorResume(StoreUnavailableException.class, (ex) -> this.parts.failures().fail(exchange, ex.error()));
	}

	/**
	 * Answers the login from the user service's 2xx answer: a session (bound to
	 * {@code key} when the login proved one), or 502 when it names no usable user.
	 */
	private Mono<Void> answered(ServerWebExchange exchange, byte[] answer, ProvenKey key) {
		Identity identity = UserServiceAnswer.identity(answer, this.userIdField, this.rolesField);
		if (identity == null) {
			logger.warn("Login: the user service answered " + exchange.getResponse().getStatusCode()
					+ " without a usable '" + this.userIdField + "' (string) or '" + this.rolesField
					+ "' (array of strings without commas); answering 502");
			return this.parts.failures()
				.fail(exchange, TollgateErrors.badGateway("user service answer lacks a valid user id"));
		}
		return this.parts.sessions().start(exchange, identity, key, this.parts.prechecks().responseNonce(key));
	}

	@Override
	public String toString() {
		return "IssueTokens[userIdField=" + this.userIdField + ", rolesField=" + this.rolesField + "]";
	}

}
