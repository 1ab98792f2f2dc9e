package dev.tollgate.token.jwt;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SecureDigestAlgorithm;

/**
 * The JWS algorithms Tollgate signs access tokens with (RFC 7518 §3, RFC 8037). Exactly
 * one is active; the verifier accepts no other (RFC 8725 §3.1).
 */
public enum SigningAlgorithm {

	/** HMAC with SHA-256; one shared secret signs and verifies. */
	HS256(Jwts.SIG.HS256, "oct"),

	/** RSASSA-PKCS1-v1_5 with SHA-256. */
	RS256(Jwts.SIG.RS256, "RSA"),

	/** ECDSA on P-256 with SHA-256. */
	ES256(Jwts.SIG.ES256, "EC"),

	/** EdDSA on Ed25519. */
	EdDSA(Jwts.SIG.EdDSA, "Ed25519");

	private final SecureDigestAlgorithm<?, ?> jws;

	private final String keyFamily;

	SigningAlgorithm(SecureDigestAlgorithm<?, ?> jws, String keyFamily) {
		this.jws = jws;
		this.keyFamily = keyFamily;
	}

	/** The {@code alg} header value, exactly as it appears in a token. */
	public String id() {
		return this.jws.getId();
	}

	/** The jjwt algorithm. */
	public SecureDigestAlgorithm<?, ?> jws() {
		return this.jws;
	}

	/** The JCA key family of this algorithm's keys ({@code oct} for HMAC secrets). */
	public String keyFamily() {
		return this.keyFamily;
	}

	/** Whether one secret both signs and verifies (no JWK Set to publish). */
	public boolean isSymmetric() {
		return this == HS256;
	}

	/**
	 * The algorithm whose {@code alg} id equals {@code name}, ignoring case; {@code null}
	 * when none does.
	 */
	public static SigningAlgorithm fromId(String name) {
		return Arrays.stream(values()).filter((a) -> a.id().equalsIgnoreCase(name)).findFirst().orElse(null);
	}

	/** The accepted names, for error messages. */
	public static String names() {
		return Arrays.stream(values()).map(SigningAlgorithm::id).collect(Collectors.joining(", "));
	}

}
