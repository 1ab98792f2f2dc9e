package dev.tollgate.backend.servlet;

import java.io.IOException;
import java.util.Enumeration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.tollgate.backend.assertion.AssertionVerifier;
import dev.tollgate.backend.assertion.InvalidAssertionException;
import dev.tollgate.backend.assertion.TollgatePrincipal;
import dev.tollgate.backend.security.AssertionAuthenticationException;
import dev.tollgate.backend.security.TollgateAuthentication;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by the gateway's assertion, in a Spring Security filter chain
 * on a servlet stack. No assertion: the request goes on unauthenticated, and the chain's
 * authorization rules decide. An assertion that verifies: the request goes on as
 * {@link TollgateAuthentication}. A refused assertion, or the header sent more than once:
 * 401 through the entry point, wherever the path, since a forged assertion is never
 * ignored.
 * <p>
 * A servlet request thread may wait here for the JWK Set when the assertion names a key
 * not seen yet, at most {@link #KEY_WAIT_SECONDS}: the fetch has its own shorter
 * deadlines.
 */
public final class AssertionAuthenticationFilter extends OncePerRequestFilter {

	/** Longest wait for a fetch of the JWK Set. */
	static final long KEY_WAIT_SECONDS = 15;

	private final AssertionVerifier verifier;

	private final String headerName;

	private final AuthenticationEntryPoint entryPoint;

	private final SecurityContextHolderStrategy contextHolder = SecurityContextHolder.getContextHolderStrategy();

	public AssertionAuthenticationFilter(AssertionVerifier verifier, String headerName,
			AuthenticationEntryPoint entryPoint) {
		this.verifier = verifier;
		this.headerName = headerName;
		this.entryPoint = entryPoint;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Enumeration<String> values = request.getHeaders(this.headerName);
		if (values == null || !values.hasMoreElements()) {
			chain.doFilter(request, response);
			return;
		}
		String assertion = values.nextElement();
		TollgatePrincipal principal;
		try {
			if (values.hasMoreElements()) {
				throw AssertionAuthenticationException.duplicateHeader();
			}
			principal = verify(assertion);
		}
		catch (AuthenticationException ex) {
			this.contextHolder.clearContext();
			this.entryPoint.commence(request, response, ex);
			return;
		}
		SecurityContext context = this.contextHolder.createEmptyContext();
		context.setAuthentication(new TollgateAuthentication(principal));
		this.contextHolder.setContext(context);
		chain.doFilter(request, response);
	}

	private TollgatePrincipal verify(String assertion) {
		try {
			return this.verifier.verify(assertion).get(KEY_WAIT_SECONDS, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof InvalidAssertionException invalid) {
				throw new AssertionAuthenticationException(invalid);
			}
			throw new IllegalStateException("Assertion verification failed unexpectedly", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new AssertionAuthenticationException(new InvalidAssertionException("key set unavailable"));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionAuthenticationException(new InvalidAssertionException("key set unavailable"));
		}
	}

}
