package dev.tollgate.routes.observe;

/**
 * {@code session_revoked}: a session ended by its user or an operator ({@code reason}: by
 * whom; {@code actor}: which operator).
 */
public final class SessionRevoked extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public SessionRevoked(Object source, Details details) {
		super(source, details, "session_revoked");
	}

}
