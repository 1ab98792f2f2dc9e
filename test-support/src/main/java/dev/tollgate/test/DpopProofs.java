package dev.tollgate.test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * DPoP proofs (RFC 9449 §4) for tests, with plain JCA and Jackson: key pairs (ES256,
 * Ed25519, RSA 2048 for RS256 and PS256), their RFC 7638 thumbprints ({@code jkt}), and
 * proofs signed from a {@link DpopProofBuilder}, including deliberately bad ones (another
 * {@code typ}, {@code alg: none}, HS256, a private key in {@code jwk}). Written apart
 * from the gateway's own code, so that a test checks one against the other.
 */
public final class DpopProofs {

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private DpopProofs() {
	}

	/** A new EC P-256 key pair, for ES256. */
	public static KeyPair es256() {
		return generate("EC", new ECGenParameterSpec("secp256r1"), 0);
	}

	/** A new Ed25519 key pair, for EdDSA. */
	public static KeyPair ed25519() {
		return generate("Ed25519", null, 0);
	}

	/** A new RSA 2048 key pair, for RS256 and PS256. */
	public static KeyPair rsa2048() {
		return generate("RSA", null, 2048);
	}

	/** A new RSA key pair of {@code bits}, e.g. a too small 1024. */
	public static KeyPair rsa(int bits) {
		return generate("RSA", null, bits);
	}

	/** The public JWK of {@code key} (RFC 7517, RFC 8037), its required members only. */
	public static Map<String, Object> publicJwk(PublicKey key) {
		Map<String, Object> jwk = new LinkedHashMap<>();
		if (key instanceof ECPublicKey ec) {
			jwk.put("crv", "P-256");
			jwk.put("kty", "EC");
			jwk.put("x", BASE64URL.encodeToString(fixed(ec.getW().getAffineX(), 32)));
			jwk.put("y", BASE64URL.encodeToString(fixed(ec.getW().getAffineY(), 32)));
		}
		else if (key instanceof RSAPublicKey rsa) {
			jwk.put("e", BASE64URL.encodeToString(unsigned(rsa.getPublicExponent())));
			jwk.put("kty", "RSA");
			jwk.put("n", BASE64URL.encodeToString(unsigned(rsa.getModulus())));
		}
		else if (key instanceof EdECPublicKey) {
			byte[] encoded = key.getEncoded();
			jwk.put("crv", "Ed25519");
			jwk.put("kty", "OKP");
			jwk.put("x", BASE64URL.encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)));
		}
		else {
			throw new IllegalArgumentException(key.getAlgorithm());
		}
		return jwk;
	}

	/** The RFC 7638 thumbprint of {@code key}: the {@code jkt} of RFC 9449 §6. */
	public static String jkt(PublicKey key) {
		// the map is built with its members in lexicographic order, as RFC 7638 §3.3
		// wants
		return BASE64URL.encodeToString(sha256(JSON.writeValueAsString(publicJwk(key))));
	}

	/** The {@code ath} of {@code accessToken}: base64url(SHA-256). */
	public static String ath(String accessToken) {
		return BASE64URL.encodeToString(sha256(accessToken));
	}

	/**
	 * A builder of a proof signed by {@code keys}: ES256, EdDSA or RS256 by the key's
	 * type, {@code iat} now, a random {@code jti}.
	 */
	public static DpopProofBuilder proof(KeyPair keys) {
		return new DpopProofBuilder(keys);
	}

	private static KeyPair generate(String algorithm, ECGenParameterSpec curve, int bits) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
			if (curve != null) {
				generator.initialize(curve);
			}
			else if (bits > 0) {
				generator.initialize(bits);
			}
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static byte[] fixed(BigInteger value, int length) {
		byte[] bytes = value.toByteArray();
		byte[] out = new byte[length];
		int copy = Math.min(bytes.length, length);
		System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
		return out;
	}

	static byte[] unsigned(BigInteger value) {
		byte[] bytes = value.toByteArray();
		return (bytes.length > 1 && bytes[0] == 0) ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
