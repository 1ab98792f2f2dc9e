package dev.tollgate.routes.session;

/**
 * Told by the store of every session it ends, on the instance that ended it: the local
 * set of ended sessions (so that this instance refuses the session's access tokens at
 * once) and the audit.
 */
@FunctionalInterface
public interface SessionEndListener {

	/** Tells nobody. */
	SessionEndListener NONE = (session, reason) -> {
	};

	/**
	 * A session ended.
	 * @param session the session
	 * @param reason why: {@code logout}, {@code logout_all}, {@code reuse}, {@code user},
	 * {@code operator}, {@code max_sessions}, or {@code operator:} and the operator's
	 * user id
	 */
	void sessionEnded(Session session, String reason);

	/** This listener, then {@code next}. */
	default SessionEndListener andThen(SessionEndListener next) {
		return (session, reason) -> {
			sessionEnded(session, reason);
			next.sessionEnded(session, reason);
		};
	}

}
