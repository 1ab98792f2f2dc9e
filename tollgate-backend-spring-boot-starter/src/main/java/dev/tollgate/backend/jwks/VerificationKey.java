package dev.tollgate.backend.jwks;

import java.security.PublicKey;

/**
 * One key of the gateway's JWK Set that may verify assertions: its {@code kid}, the one
 * JWS algorithm it is for ({@code EdDSA} for an Ed25519 key, {@code ES256} for a P-256
 * key) and the public key itself.
 *
 * @param id the key's {@code kid}
 * @param algorithm the JWS {@code alg} an assertion signed by this key must name
 * @param publicKey the key that verifies the signature
 */
public record VerificationKey(String id, String algorithm, PublicKey publicKey) {

	/** The JWS algorithm of Ed25519 keys (RFC 8037 §3.1). */
	public static final String EDDSA = "EdDSA";

	/** The JWS algorithm of P-256 keys (RFC 7518 §3.4). */
	public static final String ES256 = "ES256";

}
