package dev.tollgate.routes.observe;

/**
 * {@code refresh_token_reuse_detected}: an already-rotated token came back; the session
 * ended.
 */
public final class RefreshTokenReuseDetected extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public RefreshTokenReuseDetected(Object source, Details details) {
		super(source, details, "refresh_token_reuse_detected");
	}

}
