package dev.tollgate.routes.login;

import java.time.Duration;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;

/**
 * Sends a login's buffered credentials to the user service down the route, its answer
 * caught by a {@link UserServiceResponse}, within {@code tollgate.login.timeout}: a user
 * service that has not answered whole by then, or cannot be reached, fails the login (504
 * {@code gateway_timeout}, else 502 {@code bad_gateway}). The deadline covers the user
 * service's answer, not the session that follows it.
 */
final class UserServiceCall {

	private final Duration timeout;

	private final LoginFailures failures;

	UserServiceCall(Duration timeout, LoginFailures failures) {
		this.timeout = timeout;
		this.failures = failures;
	}

	/**
	 * Forwards the login with {@code body} as its request body.
	 * @param onAnswer answers the login from the bytes of the user service's 2xx answer
	 */
	Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain, byte[] body,
			Function<byte[], Mono<Void>> onAnswer) {
		UserServiceResponse response = new UserServiceResponse(exchange, this.failures, onAnswer);
		ServerWebExchange login = exchange.mutate()
			.request(new BufferedLoginRequest(exchange.getRequest(), body, exchange.getResponse().bufferFactory()))
			.response(response)
			.build();
		Mono<Long> deadline = Mono.delay(this.timeout)
			.flatMap((tick) -> response.answered() ? Mono.never() : Mono.just(tick));
		return chain.filter(login)
			.timeout(deadline)
			.onErrorResume((ex) -> this.failures.fail(exchange, LoginFailures.upstreamFailure(ex)));
	}

}
