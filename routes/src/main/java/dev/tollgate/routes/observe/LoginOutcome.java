package dev.tollgate.routes.observe;

import java.util.Locale;

/** How a login ended: the {@code outcome} tag of {@code tollgate.logins}. */
public enum LoginOutcome {

	/**
	 * The user service vouched for the user; a session started and tokens were issued.
	 */
	SUCCESS,

	/** The user service answered 401 or 403. */
	INVALID_CREDENTIALS,

	/**
	 * Refused by Tollgate or the user service as a bad request: cross-site in cookie
	 * mode, too large, too slow, 4xx.
	 */
	REJECTED,

	/**
	 * Too many failures for this username and address, or this address: 429, the user
	 * service not called.
	 */
	LOCKED,

	/**
	 * The user service could not be reached, failed, or answered without a usable user
	 * id: 502.
	 */
	UPSTREAM_ERROR,

	/** The user service did not answer in time: 504. */
	TIMEOUT,

	/** The session store could not be reached: 503. */
	UNAVAILABLE;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/** The tag value: the constant's name in lower case. */
	public String tag() {
		return this.tag;
	}

}
