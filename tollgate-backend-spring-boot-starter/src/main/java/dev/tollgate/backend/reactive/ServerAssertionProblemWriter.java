package dev.tollgate.backend.reactive;

import dev.tollgate.backend.security.AssertionProblem;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes {@link AssertionProblem}s to a WebFlux response: 401 as Spring Security's entry
 * point (no assertion on a path that needs one, or a refused assertion) and 403 as its
 * access-denied handler.
 */
public final class ServerAssertionProblemWriter implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException exception) {
		return write(exchange, AssertionProblem.unauthorized(exception));
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		return write(exchange, AssertionProblem.forbidden());
	}

	private static Mono<Void> write(ServerWebExchange exchange, AssertionProblem problem) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		response.setStatusCode(HttpStatus.valueOf(problem.status()));
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(MediaType.parseMediaType(AssertionProblem.CONTENT_TYPE));
		headers.setCacheControl("no-store");
		if (problem.challenge() != null) {
			headers.set(HttpHeaders.WWW_AUTHENTICATE, problem.challenge());
		}
		headers.setContentLength(problem.body().length);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(problem.body())));
	}

}
