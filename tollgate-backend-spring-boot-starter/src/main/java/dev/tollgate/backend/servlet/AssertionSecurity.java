package dev.tollgate.backend.servlet;

import dev.tollgate.backend.assertion.AssertionVerifier;

import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.SecurityFilterChain;

/**
 * What a Spring MVC service's own {@link SecurityFilterChain} adds to authenticate by the
 * gateway's assertion, in one line:
 * <pre>{@code http.addFilterBefore(assertionSecurity.filter(), BasicAuthenticationFilter.class);}</pre>
 * and, for Tollgate's problem+json answers when no assertion came or a rule refused the
 * user:
 * <pre>{@code http.exceptionHandling((e) -> e.authenticationEntryPoint(assertionSecurity.entryPoint())
 *         .accessDeniedHandler(assertionSecurity.accessDeniedHandler()));}</pre> The
 * filter is not a bean of its own, so that the servlet container does not also run it
 * outside the chain.
 */
public final class AssertionSecurity {

	private final AssertionProblemWriter problems = new AssertionProblemWriter();

	private final AssertionAuthenticationFilter filter;

	public AssertionSecurity(AssertionVerifier verifier, String headerName) {
		this.filter = new AssertionAuthenticationFilter(verifier, headerName, this.problems);
	}

	/**
	 * The filter that authenticates by assertion; one instance, for every chain that adds
	 * it.
	 */
	public AssertionAuthenticationFilter filter() {
		return this.filter;
	}

	/** 401 problem+json with the {@code Tollgate-Assertion} challenge. */
	public AuthenticationEntryPoint entryPoint() {
		return this.problems;
	}

	/** 403 problem+json. */
	public AccessDeniedHandler accessDeniedHandler() {
		return this.problems;
	}

}
