package dev.tollgate.routes.observe;

/**
 * {@code refresh_dpop_key_mismatch}: the refresh token of a session bound to a DPoP key
 * presented without a proof by that key (RFC 9449 §5); {@code reason}: the binding
 * policy, then {@code no_proof} or {@code other_key}, e.g. {@code enforce:no_proof}
 * (under {@code enforce} the session ended).
 */
public final class RefreshDpopKeyMismatch extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public RefreshDpopKeyMismatch(Object source, Details details) {
		super(source, details, "refresh_dpop_key_mismatch");
	}

}
