package dev.tollgate.token.dpop;

import dev.tollgate.token.error.ProofUse;

/**
 * Where server-provided nonces (RFC 9449 §8, §9) are required:
 * {@code tollgate.dpop.nonce}.
 */
public enum NonceMode {

	/** No nonce is asked for. */
	OFF,

	/** Proofs at the token endpoint (login, refresh) must carry the current nonce. */
	TOKEN_ENDPOINT,

	/** Every proof, at the token endpoint and at every resource, must carry it. */
	ALWAYS;

	/** Whether a proof checked at {@code use} must carry a nonce. */
	public boolean requiredAt(ProofUse use) {
		return this == ALWAYS || (this == TOKEN_ENDPOINT && use == ProofUse.TOKEN_ENDPOINT);
	}

}
