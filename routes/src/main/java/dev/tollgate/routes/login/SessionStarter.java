package dev.tollgate.routes.login;

import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.client.ClientBindingResolver;
import dev.tollgate.routes.dpop.ProvenKey;
import dev.tollgate.routes.http.TokenResponses;
import dev.tollgate.routes.login.UserServiceAnswer.Identity;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.observe.LoginOutcome;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.StoreUnavailableException;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * The end of a successful login: starts a session in the {@link RefreshTokenStore} for
 * the user the user service vouched for (recording the client's refresh binding and the
 * DPoP key the login proved, if any), reports the success, and answers the token response
 * in place of the user service's answer, whose headers go (the gateway's CORS headers
 * stay). A store that cannot be reached answers 503 {@code temporarily_unavailable}.
 */
final class SessionStarter {

	private final RefreshTokenStore store;

	private final TokenResponses responses;

	private final AuthEvents events;

	private final ClientBindingResolver bindings;

	private final LoginFailures failures;

	SessionStarter(RefreshTokenStore store, TokenResponses responses, AuthEvents events, ClientBindingResolver bindings,
			LoginFailures failures) {
		this.store = store;
		this.responses = responses;
		this.events = events;
		this.bindings = bindings;
		this.failures = failures;
	}

	/** Starts the bearer session of {@code identity} and answers its token response. */
	Mono<Void> start(ServerWebExchange exchange, Identity identity) {
		return start(exchange, identity, ProvenKey.NONE, null);
	}

	/**
	 * Starts the session of {@code identity}, bound to {@code key} when the login proved
	 * one (RFC 9449 §5), and answers the login's token response.
	 * @param dpopNonce the {@code DPoP-Nonce} the answer carries, or {@code null}
	 */
	Mono<Void> start(ServerWebExchange exchange, Identity identity, ProvenKey key, String dpopNonce) {
		ClientBinding binding = this.bindings.resolve(exchange.getRequest());
		return this.store.create(identity.userId(), identity.roles(), binding, key.thumbprint())
			.flatMap((refreshToken) -> {
				TokenResponses.TokenResponse answer = this.responses.create(refreshToken, dpopNonce);
				LoginAttempt attempt = LoginExchange.attempt(exchange);
				LoginExchange.ended(exchange, LoginOutcome.SUCCESS);
				this.events.login(LoginOutcome.SUCCESS, identity.userId(), refreshToken.session().id(),
						attempt.username(), attempt.clientIp());
				ServerHttpResponse response = exchange.getResponse();
				response.setStatusCode(HttpStatus.OK);
				CorsHeaders.reset(exchange, response.getHeaders());
				answer.applyHeaders(response.getHeaders());
				return response.writeWith(Mono.just(response.bufferFactory().wrap(answer.json())));
			})
			.onErrorResume(StoreUnavailableException.class, (ex) -> this.failures.fail(exchange, ex.error()));
	}

}
