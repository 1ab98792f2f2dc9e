package dev.tollgate.backend.security;

import dev.tollgate.backend.assertion.InvalidAssertionException;

import org.springframework.security.core.AuthenticationException;

/**
 * An assertion that was present and refused, for Spring Security's entry points: its
 * message is the fixed description of {@link InvalidAssertionException}, never the
 * assertion.
 */
public final class AssertionAuthenticationException extends AuthenticationException {

	private static final long serialVersionUID = 1L;

	public AssertionAuthenticationException(InvalidAssertionException cause) {
		super(cause.description(), cause);
	}

	/**
	 * A request carrying the header more than once: which one the gateway wrote cannot be
	 * told.
	 */
	public static AssertionAuthenticationException duplicateHeader() {
		return new AssertionAuthenticationException(new InvalidAssertionException("more than one assertion"));
	}

}
