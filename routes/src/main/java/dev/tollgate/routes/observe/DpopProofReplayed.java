package dev.tollgate.routes.observe;

/**
 * {@code dpop_proof_replayed}: a DPoP proof presented again at the token endpoint (RFC
 * 9449 §11.1), refused; {@code reason}: where, {@code login} or {@code refresh}.
 */
public final class DpopProofReplayed extends TollgateAuditEvent {

	private static final long serialVersionUID = 1L;

	public DpopProofReplayed(Object source, Details details) {
		super(source, details, "dpop_proof_replayed");
	}

}
