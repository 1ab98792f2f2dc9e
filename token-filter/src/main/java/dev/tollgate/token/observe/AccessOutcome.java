package dev.tollgate.token.observe;

import java.util.Locale;

/**
 * What the access check did with a request: the {@code outcome} tag of
 * {@code tollgate.access.checks}.
 */
public enum AccessOutcome {

	/** A valid token: the request went on as its user. */
	ACCEPTED,

	/** No valid token on a route that needs one: answered 401 (or 400) at the edge. */
	REJECTED,

	/** No valid token on a public route: the request went on without identity. */
	ANONYMOUS;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/** The tag value: the constant's name in lower case. */
	public String tag() {
		return this.tag;
	}

}
