package dev.tollgate.backend.reactive;

import dev.tollgate.backend.assertion.AssertionVerifier;

import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.WebFilter;

/**
 * What a WebFlux service's own {@link SecurityWebFilterChain} adds to authenticate by the
 * gateway's assertion, in one line:
 * <pre>{@code http.addFilterAt(assertionSecurity.webFilter(), SecurityWebFiltersOrder.AUTHENTICATION);}</pre>
 * and, for Tollgate's problem+json answers when no assertion came or a rule refused the
 * user:
 * <pre>{@code http.exceptionHandling((e) -> e.authenticationEntryPoint(assertionSecurity.entryPoint())
 *         .accessDeniedHandler(assertionSecurity.accessDeniedHandler()));}</pre> The
 * filter is not a bean of its own: WebFlux would run every {@link WebFilter} bean on
 * every request, outside the chain.
 */
public final class ServerAssertionSecurity {

	private final ServerAssertionProblemWriter problems = new ServerAssertionProblemWriter();

	private final AssertionAuthenticationWebFilter webFilter;

	public ServerAssertionSecurity(AssertionVerifier verifier, String headerName) {
		this.webFilter = new AssertionAuthenticationWebFilter(verifier, headerName, this.problems);
	}

	/**
	 * The filter that authenticates by assertion; one instance, for every chain that adds
	 * it.
	 */
	public WebFilter webFilter() {
		return this.webFilter;
	}

	/** 401 problem+json with the {@code Tollgate-Assertion} challenge. */
	public ServerAuthenticationEntryPoint entryPoint() {
		return this.problems;
	}

	/** 403 problem+json. */
	public ServerAccessDeniedHandler accessDeniedHandler() {
		return this.problems;
	}

}
