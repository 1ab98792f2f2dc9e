package dev.tollgate.token.dpop;

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

}
