package dev.tollgate.routes.observe;

/**
 * {@code login_locked}: an attempt refused because of too many failures; the user service
 * was not called.
 */
public final class LoginLocked extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public LoginLocked(Object source, Details details) {
		super(source, details, "login_locked");
	}

}
