package dev.tollgate.routes.observe;

/**
 * {@code refresh_retried}: the immediate predecessor retried within the grace window got
 * the same successor.
 */
public final class RefreshRetried extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public RefreshRetried(Object source, Details details) {
		super(source, details, "refresh_retried");
	}

}
