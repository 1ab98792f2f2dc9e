package dev.tollgate.token.dpop;

import java.time.Duration;
import java.util.List;

/**
 * What the DPoP capability takes of {@code tollgate.dpop.*}.
 *
 * @param mode off, optional or required
 * @param nonce where server nonces are required
 * @param algorithms the JWS algorithms accepted for proofs, a subset of ES256, EdDSA,
 * RS256, PS256
 * @param proofMaxAge how old a proof's {@code iat} may be
 * @param clockSkew how far in the future a proof's {@code iat} may be, and slack on the
 * past
 * @param nonceLifetime how long one nonce window lasts (a nonce is valid for its window
 * and the next)
 * @param sharedAccessReplay whether the access path checks replay with the shared
 * {@link DpopReplayGuard} (one store round trip per request) instead of an in-memory
 * guard per instance
 */
public record DpopSettings(DpopMode mode, NonceMode nonce, List<String> algorithms, Duration proofMaxAge,
		Duration clockSkew, Duration nonceLifetime, boolean sharedAccessReplay) {

	/** The defaults of {@code tollgate.dpop.*}. */
	public static final DpopSettings DEFAULTS = new DpopSettings(DpopMode.OPTIONAL, NonceMode.OFF,
			List.of("ES256", "EdDSA", "RS256", "PS256"), Duration.ofSeconds(60), Duration.ofSeconds(5),
			Duration.ofMinutes(5), false);

	public DpopSettings {
		algorithms = List.copyOf(algorithms);
	}

	/**
	 * How long a replay entry lives: longer than any proof can be accepted
	 * ({@code proofMaxAge + 2 × clockSkew}), so that no accepted proof can come back
	 * after its entry is gone (RFC 9449 §11.1).
	 */
	public Duration replayTtl() {
		return this.proofMaxAge.plus(this.clockSkew.multipliedBy(2));
	}

	/**
	 * The {@code algs} parameter of a DPoP challenge (RFC 9449 §7.1): space-separated.
	 */
	public String challengeAlgorithms() {
		return String.join(" ", this.algorithms);
	}

}
