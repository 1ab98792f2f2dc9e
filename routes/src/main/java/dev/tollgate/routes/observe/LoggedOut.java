package dev.tollgate.routes.observe;

/**
 * {@code logout}: a session ended by its refresh token ({@code reason}: the scope,
 * session or all).
 */
public final class LoggedOut extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public LoggedOut(Object source, Details details) {
		super(source, details, "logout");
	}

}
