package dev.tollgate.routes.observe;

/**
 * {@code login_failed}: the user service refused the credentials, or the login could not
 * complete.
 */
public final class LoginFailed extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public LoginFailed(Object source, Details details) {
		super(source, details, "login_failed");
	}

}
