package dev.tollgate.backend.support;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import io.jsonwebtoken.security.SecureDigestAlgorithm;

/**
 * An assertion key pair as the gateway would hold one, with its {@code kid} and
 * algorithm, and the JWK Set documents that publish such keys.
 *
 * @param id the kid
 * @param algorithm EdDSA or ES256
 * @param keyPair the key pair
 */
public record TestKey(String id, String algorithm, KeyPair keyPair) {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** A new Ed25519 key. */
	public static TestKey ed25519(String id) {
		return new TestKey(id, "EdDSA", Jwks.CRV.Ed25519.keyPair().build());
	}

	/** A new P-256 key. */
	public static TestKey es256(String id) {
		return new TestKey(id, "ES256", Jwts.SIG.ES256.keyPair().build());
	}

	/** The same key pair under another kid. */
	public TestKey withId(String otherId) {
		return new TestKey(otherId, this.algorithm, this.keyPair);
	}

	/** jjwt's algorithm that signs with this key. */
	@SuppressWarnings("unchecked")
	public SecureDigestAlgorithm<java.security.PrivateKey, ?> signatureAlgorithm() {
		return (SecureDigestAlgorithm<java.security.PrivateKey, ?>) (Object) ("EdDSA".equals(this.algorithm)
				? Jwts.SIG.EdDSA : Jwts.SIG.ES256);
	}

	/** The public JWK as the gateway publishes it: kid, use sig, alg. */
	public Map<String, Object> jwk() {
		PublicJwk<?> jwk = Jwks.builder()
			.key(this.keyPair.getPublic())
			.id(this.id)
			.publicKeyUse("sig")
			.algorithm(this.algorithm)
			.build();
		return new LinkedHashMap<>(jwk);
	}

	/** A JWK Set document holding {@code keys}. */
	public static String jwkSet(TestKey... keys) {
		List<Map<String, Object>> jwks = new ArrayList<>();
		for (TestKey key : keys) {
			jwks.add(key.jwk());
		}
		return jwkSetOf(jwks);
	}

	/** A JWK Set document holding the given JWKs as they are. */
	public static String jwkSetOf(List<Map<String, Object>> jwks) {
		try {
			return JSON.writeValueAsString(Map.of("keys", jwks));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
