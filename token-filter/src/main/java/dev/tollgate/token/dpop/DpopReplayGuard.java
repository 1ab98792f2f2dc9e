package dev.tollgate.token.dpop;

import dev.tollgate.token.error.ProofUse;
import dev.tollgate.token.error.TollgateErrors;
import reactor.core.publisher.Mono;

/**
 * Remembers the proofs already used (RFC 9449 §11.1), each for
 * {@link DpopSettings#replayTtl()}. Two implementations: {@link LocalDpopReplayGuard} in
 * one instance's memory, and a shared one in the token store (in {@code routes}).
 */
public interface DpopReplayGuard {

	/**
	 * Records {@code proof}.
	 * @return {@code true} the first time this proof's {@link DpopProof#replayKey()} is
	 * seen, {@code false} for a replay
	 */
	Mono<Boolean> firstUse(DpopProof proof);

	/**
	 * {@link #firstUse} as a check of a proof checked at {@code use}: completes the first
	 * time, fails with {@code invalid_dpop_proof} ("DPoP proof replayed") for a replay.
	 */
	default Mono<Void> requireFirstUse(DpopProof proof, ProofUse use) {
		return firstUse(proof)
			.flatMap((first) -> first ? Mono.<Void>empty() : Mono.error(TollgateErrors.dpopReplay(use).exception()));
	}

}
