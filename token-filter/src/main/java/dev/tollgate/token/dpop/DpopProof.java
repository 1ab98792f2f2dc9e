package dev.tollgate.token.dpop;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * A proof that passed every stateless check (RFC 9449 §4.3); the replay check is the
 * caller's (reactive) step.
 *
 * @param keyThumbprint the RFC 7638 thumbprint of the proof's {@code jwk} (the
 * {@code jkt})
 * @param jti the proof's {@code jti}
 * @param issuedAt the proof's {@code iat}
 */
public record DpopProof(String keyThumbprint, String jti, Instant issuedAt) {

	/**
	 * The replay key: 22 base64url characters of SHA-256({@code jkt "." jti}), the
	 * {@code jti} scoped by the key (RFC 9449 §11.1), of fixed size whatever the
	 * {@code jti}.
	 */
	public String replayKey() {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256")
				.digest((this.keyThumbprint + "." + this.jti).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	@Override
	public String toString() {
		return "DpopProof[keyThumbprint=" + this.keyThumbprint + ", issuedAt=" + this.issuedAt + "]";
	}

}
