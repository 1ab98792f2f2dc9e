package dev.tollgate.routes.store;

/**
 * What {@link RefreshTokenStore#rotate} did.
 *
 * @param outcome what happened
 * @param token the successor, for {@code ROTATED} and {@code RETRIED}; otherwise {@code null}
 * @param session the session, when the family is known ({@code ROTATED}, {@code RETRIED}, {@code REUSED});
 * otherwise {@code null}
 */
public record Rotation(Outcome outcome, IssuedRefreshToken token, Session session) {

	/** What happened to a presented refresh token. */
	public enum Outcome {

		/** It was current: consumed, and a successor issued. */
		ROTATED,

		/** It was the immediate predecessor, retried within the grace window: the same successor again. */
		RETRIED,

		/** It had already been rotated: the whole family is now revoked. */
		REUSED,

		/** It is not a token of any live family (never issued, expired, logged out, revoked). */
		INVALID

	}

	/** Whether a new access token may be issued. */
	public boolean granted() {
		return this.outcome == Outcome.ROTATED || this.outcome == Outcome.RETRIED;
	}

}
