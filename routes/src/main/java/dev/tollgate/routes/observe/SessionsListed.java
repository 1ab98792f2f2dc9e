package dev.tollgate.routes.observe;

/**
 * {@code sessions_listed}: an operator listed a user's sessions ({@code actor}: the
 * operator).
 */
public final class SessionsListed extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public SessionsListed(Object source, Details details) {
		super(source, details, "sessions_listed");
	}

}
