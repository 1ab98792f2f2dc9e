package dev.tollgate.token.jwt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.MacAlgorithm;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import io.jsonwebtoken.security.SignatureAlgorithm;

/**
 * The keys that sign and verify access tokens, built once at start-up from keys already
 * read. Key 0 signs; every key verifies, so an operator rotates by prepending a new key
 * and removing the old one once the tokens it signed have expired. Every factory signs
 * and verifies one probe token, so that a key that does not fit the algorithm is refused
 * here and not on the first request.
 */
public final class SigningKeys {

	/**
	 * Smallest HS256 secret accepted (RFC 7518 §3.2: a key of the same size as the hash
	 * output).
	 */
	public static final int MIN_SECRET_BYTES = 32;

	private final SigningAlgorithm algorithm;

	private final Key signingKey;

	private final String signingKeyId;

	private final Map<String, Key> verificationKeys;

	private final List<Map<String, ?>> publicJwks;

	private final boolean ephemeral;

	private SigningKeys(SigningAlgorithm algorithm, Key signingKey, String signingKeyId,
			Map<String, Key> verificationKeys, List<Map<String, ?>> publicJwks, boolean ephemeral) {
		this.algorithm = algorithm;
		this.signingKey = signingKey;
		this.signingKeyId = signingKeyId;
		this.verificationKeys = Collections.unmodifiableMap(verificationKeys);
		this.publicJwks = List.copyOf(publicJwks);
		this.ephemeral = ephemeral;
		selfTest();
	}

	/**
	 * HS256 with the shared {@code secret}, which signs and verifies; nothing to publish.
	 * @throws IllegalArgumentException when the secret is shorter than
	 * {@link #MIN_SECRET_BYTES}
	 */
	public static SigningKeys sharedSecret(byte[] secret) {
		if (secret.length < MIN_SECRET_BYTES) {
			throw new IllegalArgumentException("an HS256 secret needs at least " + MIN_SECRET_BYTES * 8 + " bits");
		}
		SecretKey key = new SecretKeySpec(secret, "HmacSHA256");
		return new SigningKeys(SigningAlgorithm.HS256, key, null, Map.of("", key), List.of(), false);
	}

	/**
	 * A key generated now for {@code algorithm}: tokens it signs die with the process and
	 * no other instance verifies them. For EdDSA on Ed25519, the curve PEM keys use
	 * (jjwt's EdDSA default is Ed448).
	 */
	public static SigningKeys ephemeral(SigningAlgorithm algorithm) {
		if (algorithm.isSymmetric()) {
			SecretKey key = ((MacAlgorithm) algorithm.jws()).key().build();
			return new SigningKeys(algorithm, key, null, Map.of("", key), List.of(), true);
		}
		KeyPair pair = (algorithm == SigningAlgorithm.EdDSA) ? Jwks.CRV.Ed25519.keyPair().build()
				: ((SignatureAlgorithm) algorithm.jws()).keyPair().build();
		VerificationKey key = VerificationKey.of(algorithm, pair.getPublic(), null);
		return new SigningKeys(algorithm, pair.getPrivate(), key.id(), Map.of(key.id(), key.key()), List.of(key.jwk()),
				true);
	}

	/**
	 * Key pairs for an asymmetric {@code algorithm}: {@code signingKey} is the private
	 * key of {@code keys[0]}, and every one of {@code keys} verifies, in this order.
	 * @throws IllegalArgumentException when {@code keys} is empty or repeats an id, or a
	 * key does not fit the algorithm
	 */
	public static SigningKeys keyPairs(SigningAlgorithm algorithm, PrivateKey signingKey, List<VerificationKey> keys) {
		if (algorithm.isSymmetric() || keys.isEmpty()) {
			throw new IllegalArgumentException(algorithm.id() + " with " + keys.size() + " key pairs");
		}
		Map<String, Key> verification = new LinkedHashMap<>();
		for (VerificationKey key : keys) {
			if (verification.putIfAbsent(key.id(), key.key()) != null) {
				throw new IllegalArgumentException("repeated key id '" + key.id() + "'");
			}
		}
		List<Map<String, ?>> jwks = keys.stream().<Map<String, ?>>map(VerificationKey::jwk).toList();
		return new SigningKeys(algorithm, signingKey, keys.get(0).id(), verification, jwks, false);
	}

	/** Signs and verifies one probe token with key 0. */
	private void selfTest() {
		try {
			@SuppressWarnings("unchecked")
			var alg = (SecureDigestAlgorithm<Key, Key>) this.algorithm.jws();
			String probe = Jwts.builder().subject("probe").signWith(this.signingKey, alg).compact();
			Key verify = verificationKey(this.signingKeyId);
			if (verify instanceof SecretKey secret) {
				Jwts.parser().verifyWith(secret).build().parseSignedClaims(probe);
			}
			else {
				Jwts.parser().verifyWith((PublicKey) verify).build().parseSignedClaims(probe);
			}
		}
		catch (JwtException ex) {
			throw new IllegalArgumentException("the key does not fit " + this.algorithm.id(), ex);
		}
	}

	/** The active algorithm. */
	public SigningAlgorithm algorithm() {
		return this.algorithm;
	}

	/** The key that signs new tokens: a private key, or the HS256 secret. */
	Key signingKey() {
		return this.signingKey;
	}

	/** The {@code kid} written into new tokens, or {@code null} (HS256). */
	public String signingKeyId() {
		return this.signingKeyId;
	}

	/**
	 * The key that verifies a token with the given {@code kid} ({@code null} for none),
	 * or {@code null}.
	 */
	Key verificationKey(String keyId) {
		return this.verificationKeys.get((keyId != null) ? keyId : "");
	}

	/** The public keys as JWKs (RFC 7517), in configuration order; empty under HS256. */
	public List<Map<String, ?>> publicJwks() {
		return this.publicJwks;
	}

	/**
	 * The ids of the verification keys in configuration order, the signing key first;
	 * empty under HS256.
	 */
	public List<String> keyIds() {
		return List.copyOf(this.verificationKeys.keySet()).stream().filter((id) -> !id.isEmpty()).toList();
	}

	/**
	 * A 256-bit secret derived from the signing key for one purpose ({@code label}):
	 * HMAC-SHA256 under the signing key's encoded bytes (the HS256 secret, or the private
	 * key's PKCS#8 form). Every instance configured with the same signing key derives the
	 * same secret, so keys derived from it (the assertion key, the DPoP nonce key) need
	 * no setting and no store of their own; the signing key itself never leaves this
	 * class.
	 */
	public byte[] derivedSecret(String label) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.signingKey.getEncoded(), "HmacSHA256"));
			return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/** Whether the key was generated at start-up and dies with the process. */
	public boolean isEphemeral() {
		return this.ephemeral;
	}

}
