package dev.tollgate.routes.observe;

/** {@code login_succeeded}: a session started. */
public final class LoginSucceeded extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public LoginSucceeded(Object source, Details details) {
		super(source, details, "login_succeeded");
	}

}
