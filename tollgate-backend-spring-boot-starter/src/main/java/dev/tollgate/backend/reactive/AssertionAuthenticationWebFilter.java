package dev.tollgate.backend.reactive;

import java.util.List;

import dev.tollgate.backend.assertion.AssertionVerifier;
import dev.tollgate.backend.assertion.InvalidAssertionException;
import dev.tollgate.backend.security.AssertionAuthenticationException;
import dev.tollgate.backend.security.TollgateAuthentication;
import reactor.core.publisher.Mono;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Authenticates a request by the gateway's assertion, in a Spring Security
 * {@code SecurityWebFilterChain}. No assertion: the request goes on unauthenticated, and
 * the chain's authorization rules decide. An assertion that verifies: the request goes on
 * as {@link TollgateAuthentication}. A refused assertion, or the header sent more than
 * once: 401 through the entry point, wherever the path, since a forged assertion is never
 * ignored.
 * <p>
 * Never blocks: when the assertion names a key not seen yet, the request resumes on the
 * HTTP client's thread once the JWK Set was fetched again.
 */
public final class AssertionAuthenticationWebFilter implements WebFilter {

	private final AssertionVerifier verifier;

	private final String headerName;

	private final ServerAuthenticationEntryPoint entryPoint;

	public AssertionAuthenticationWebFilter(AssertionVerifier verifier, String headerName,
			ServerAuthenticationEntryPoint entryPoint) {
		this.verifier = verifier;
		this.headerName = headerName;
		this.entryPoint = entryPoint;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		List<String> values = exchange.getRequest().getHeaders().get(this.headerName);
		if (values == null || values.isEmpty()) {
			return chain.filter(exchange);
		}
		if (values.size() > 1) {
			return this.entryPoint.commence(exchange, AssertionAuthenticationException.duplicateHeader());
		}
		String assertion = values.get(0);
		return Mono.fromFuture(() -> this.verifier.verify(assertion))
			.map(TollgateAuthentication::new)
			.onErrorResume(InvalidAssertionException.class,
					(ex) -> this.entryPoint.commence(exchange, new AssertionAuthenticationException(ex))
						.then(Mono.empty()))
			.flatMap((authentication) -> chain.filter(exchange)
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication)));
	}

}
