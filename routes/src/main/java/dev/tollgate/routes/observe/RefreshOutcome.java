package dev.tollgate.routes.observe;

import java.util.Locale;

/** How a refresh ended: the {@code outcome} tag of {@code tollgate.refreshes}. */
public enum RefreshOutcome {

	/** The current refresh token was traded for a new pair. */
	ROTATED,

	/**
	 * The immediate predecessor, retried within the grace window or after a rotation
	 * whose answer never reached the client: the same successor again.
	 */
	RETRIED,

	/**
	 * An already-rotated token came back, at refresh or at logout: the session ended
	 * (theft detection).
	 */
	REUSED,

	/** Unknown or expired token, or one of an ended session: 401 invalid_grant. */
	INVALID,

	/**
	 * No readable token: a malformed, missing, too large or too slow body, or no refresh
	 * cookie.
	 */
	MALFORMED,

	/** Cross-site in cookie mode: 403. */
	DENIED,

	/**
	 * Presented by another client than the one that logged in, under the enforce policy:
	 * the session ended.
	 */
	BINDING_MISMATCH,

	/** The session store could not be reached: 503. */
	UNAVAILABLE;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/** The tag value: the constant's name in lower case. */
	public String tag() {
		return this.tag;
	}

}
