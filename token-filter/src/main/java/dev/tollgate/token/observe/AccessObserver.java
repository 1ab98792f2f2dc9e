package dev.tollgate.token.observe;

/**
 * Where the access check reports what it did, once per request: the one place that counts
 * it (Micrometer when the application has a registry, nothing otherwise). The check
 * itself never touches a meter.
 */
public interface AccessObserver {

	/** Reports nothing. */
	AccessObserver NONE = new AccessObserver() {
	};

	/**
	 * One access check.
	 * @param routeId the matched route's id ({@code none} when there is no route)
	 * @param outcome what happened to the request
	 * @param rejection why the token was not accepted, {@link TokenRejection#NONE} when
	 * it was
	 * @param nanos time spent checking the token
	 */
	default void accessChecked(String routeId, AccessOutcome outcome, TokenRejection rejection, long nanos) {
	}

	/**
	 * One {@code RequireRoles} decision.
	 * @param routeId the route's id
	 * @param granted whether the token carried one of the roles
	 */
	default void roleChecked(String routeId, boolean granted) {
	}

}
