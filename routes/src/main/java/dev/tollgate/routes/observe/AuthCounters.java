package dev.tollgate.routes.observe;

/**
 * The counters of {@link AuthEvents}: Micrometer's when the application has a registry,
 * none otherwise.
 */
public interface AuthCounters {

	/** Counts nothing. */
	AuthCounters NONE = new AuthCounters() {
	};

	/** Counts a login that ended with {@code outcome}. */
	default void login(LoginOutcome outcome) {
	}

	/** Counts a refresh that ended with {@code outcome}. */
	default void refresh(RefreshOutcome outcome) {
	}

	/** Counts a logout request of one or all sessions, whether it ended a session. */
	default void logout(boolean allSessions, boolean ended) {
	}

}
