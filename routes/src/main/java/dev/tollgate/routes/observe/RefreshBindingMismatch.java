package dev.tollgate.routes.observe;

/**
 * {@code refresh_binding_mismatch}: a refresh token presented by another client than the
 * one that logged in.
 */
public final class RefreshBindingMismatch extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public RefreshBindingMismatch(Object source, Details details) {
		super(source, details, "refresh_binding_mismatch");
	}

}
