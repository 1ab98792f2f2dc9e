package dev.tollgate.routes.session;

import java.util.List;

/**
 * What a logout ({@link RefreshTokenStore#logout}, {@link RefreshTokenStore#logoutAll})
 * did.
 *
 * @param outcome what happened
 * @param ended the sessions it ended: the presented token's session, or with
 * {@code logoutAll} every session of its user; one session when {@link Outcome#REUSED};
 * none when {@link Outcome#UNKNOWN}
 */
public record Logout(Outcome outcome, List<Session> ended) {

	private static final Logout UNKNOWN = new Logout(Outcome.UNKNOWN, List.of());

	public Logout {
		ended = List.copyOf(ended);
	}

	/** Nothing ended: the token was not one of a live session. */
	public static Logout unknown() {
		return UNKNOWN;
	}

	/**
	 * {@code outcome} with the sessions that ended, {@link #unknown()} when none did
	 * (another request was first).
	 */
	public static Logout of(Outcome outcome, List<Session> ended) {
		return ended.isEmpty() ? UNKNOWN : new Logout(outcome, ended);
	}

	/**
	 * The session of the presented token when it ended, or the first of those ended;
	 * {@code null} when none.
	 */
	public Session session() {
		return this.ended.isEmpty() ? null : this.ended.get(0);
	}

	/** What a logout did. */
	public enum Outcome {

		/**
		 * The token was its session's own (the current one, or a predecessor still
		 * retriable): the session ended, or with {@code logoutAll} every session of its
		 * user.
		 */
		LOGGED_OUT,

		/**
		 * The token was a spent one of its session: reuse, as at a refresh. Its session
		 * ended, and no other, whatever the scope asked for.
		 */
		REUSED,

		/** The token was not one of any live session, in this spelling: nothing ended. */
		UNKNOWN

	}

}
