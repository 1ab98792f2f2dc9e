package dev.tollgate.routes.observe;

/**
 * {@code refresh_rejected}: a refresh refused (unknown token, bad request, cross-site,
 * store down).
 */
public final class RefreshRejected extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public RefreshRejected(Object source, Details details) {
		super(source, details, "refresh_rejected");
	}

}
