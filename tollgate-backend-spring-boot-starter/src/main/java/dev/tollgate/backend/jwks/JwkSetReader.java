package dev.tollgate.backend.jwks;

import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jsonwebtoken.io.Parser;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;

/**
 * Reads a JWK Set document (RFC 7517 §5) into the keys that may verify assertions. The
 * gateway publishes its access-token keys in the same set, so keys that cannot sign an
 * assertion are skipped rather than refused: a key without a {@code kid}, one whose
 * {@code use} is not {@code sig}, a private or symmetric key, and any key type or curve
 * other than Ed25519 ({@code EdDSA}) and P-256 ({@code ES256}), or whose {@code alg}
 * names another algorithm. jjwt's default JSON reader rejects duplicate members.
 */
public final class JwkSetReader {

	private final Parser<JwkSet> parser = Jwks.setParser().ignoreUnsupported(true).build();

	/**
	 * Reads {@code json}.
	 * @return the usable keys by {@code kid}
	 * @throws io.jsonwebtoken.JwtException or {@link IllegalArgumentException} when the
	 * document is not a JWK Set
	 */
	public Map<String, VerificationKey> read(String json) {
		Map<String, VerificationKey> keys = new LinkedHashMap<>();
		for (Jwk<?> jwk : this.parser.parse(json)) {
			VerificationKey key = toVerificationKey(jwk);
			if (key != null) {
				keys.putIfAbsent(key.id(), key);
			}
		}
		return Map.copyOf(keys);
	}

	private static VerificationKey toVerificationKey(Jwk<?> jwk) {
		if (!(jwk instanceof PublicJwk<?> publicJwk) || jwk.getId() == null || jwk.getId().isEmpty()) {
			return null;
		}
		String use = publicJwk.getPublicKeyUse();
		if (use != null && !"sig".equals(use)) {
			return null;
		}
		String algorithm = algorithmOf(jwk.getType(), jwk.get("crv"));
		if (algorithm == null || (jwk.getAlgorithm() != null && !algorithm.equals(jwk.getAlgorithm()))) {
			return null;
		}
		return new VerificationKey(jwk.getId(), algorithm, (PublicKey) publicJwk.toKey());
	}

	/**
	 * The one assertion algorithm a key type and curve is for (RFC 8037 §2, RFC 7518
	 * §6.2.1.1).
	 */
	private static String algorithmOf(String type, Object curve) {
		if ("OKP".equals(type) && "Ed25519".equals(curve)) {
			return VerificationKey.EDDSA;
		}
		if ("EC".equals(type) && "P-256".equals(curve)) {
			return VerificationKey.ES256;
		}
		return null;
	}

}
