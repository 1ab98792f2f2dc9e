package dev.tollgate.routes.observe;

/** {@code refresh_succeeded}: a refresh token was rotated. */
public final class RefreshSucceeded extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public RefreshSucceeded(Object source, Details details) {
		super(source, details, "refresh_succeeded");
	}

}
