package dev.tollgate.token.jwt;

import java.security.PublicKey;
import java.util.Map;

import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;

/**
 * A public key that verifies access tokens, with the {@code kid} that selects it and its
 * public JWK (RFC 7517) for the JWK Set.
 */
public final class VerificationKey {

	private final PublicJwk<?> jwk;

	private VerificationKey(PublicJwk<?> jwk) {
		this.jwk = jwk;
	}

	/**
	 * The key {@code key} for {@code algorithm}, under the id {@code id}, or its RFC 7638
	 * thumbprint when {@code id} is {@code null} or blank.
	 */
	public static VerificationKey of(SigningAlgorithm algorithm, PublicKey key, String id) {
		var builder = Jwks.builder().key(key).algorithm(algorithm.id()).publicKeyUse("sig");
		PublicJwk<?> jwk = (id == null || id.isBlank()) ? builder.idFromThumbprint().build() : builder.id(id).build();
		return new VerificationKey(jwk);
	}

	/** The {@code kid}. */
	public String id() {
		return this.jwk.getId();
	}

	/** The public key. */
	public PublicKey key() {
		return this.jwk.toKey();
	}

	/** The public JWK: only public members. */
	Map<String, ?> jwk() {
		return this.jwk;
	}

}
