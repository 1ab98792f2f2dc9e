package dev.tollgate.token.dpop;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * The public key of a proof's {@code jwk} header (RFC 9449 §4.2, §4.3 check 7): EC P-256
 * for ES256, OKP Ed25519 for EdDSA, RSA of 2048 to 8192 bits for RS256 and PS256. A JWK
 * with a private member ({@code d}, {@code p}, {@code q}, {@code dp}, {@code dq},
 * {@code qi}, {@code oth}) or a symmetric one ({@code k}) is refused, as is a point off
 * the curve.
 */
final class ProofKey {

	private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

	/** The X.509 SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410 §4). */
	private static final byte[] ED25519_PREFIX = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21,
			0x00 };

	private static final ECParameterSpec P256 = p256();

	private static final BigInteger P256_P = new BigInteger(
			"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);

	private static final BigInteger P256_B = new BigInteger(
			"5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

	private ProofKey() {
	}

	/**
	 * The public key {@code jwk} describes, fit for {@code algorithm}; {@code null} when
	 * it is not one.
	 */
	static PublicKey of(JsonNode jwk, String algorithm) {
		if (jwk == null || !jwk.isObject()) {
			return null;
		}
		for (String member : jwk.propertyNames()) {
			if (PRIVATE_MEMBERS.contains(member)) {
				return null;
			}
		}
		String kty = text(jwk, "kty");
		try {
			return switch (algorithm) {
				case "ES256" -> "EC".equals(kty) && "P-256".equals(text(jwk, "crv")) ? ec(jwk) : null;
				case "EdDSA" -> "OKP".equals(kty) && "Ed25519".equals(text(jwk, "crv")) ? ed25519(jwk) : null;
				case "RS256", "PS256" -> "RSA".equals(kty) ? rsa(jwk) : null;
				default -> null;
			};
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return null;
		}
	}

	private static PublicKey ec(JsonNode jwk) throws GeneralSecurityException {
		byte[] x = bytes(jwk, "x");
		byte[] y = bytes(jwk, "y");
		if (x == null || y == null || x.length != 32 || y.length != 32) {
			return null;
		}
		BigInteger px = new BigInteger(1, x);
		BigInteger py = new BigInteger(1, y);
		// y² = x³ - 3x + b (mod p): a key off the curve is refused before it is used
		if (px.compareTo(P256_P) >= 0 || py.compareTo(P256_P) >= 0 || !py.modPow(BigInteger.TWO, P256_P)
			.equals(px.pow(3).subtract(px.multiply(BigInteger.valueOf(3))).add(P256_B).mod(P256_P))) {
			return null;
		}
		return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(px, py), P256));
	}

	private static PublicKey ed25519(JsonNode jwk) throws GeneralSecurityException {
		byte[] x = bytes(jwk, "x");
		if (x == null || x.length != 32) {
			return null;
		}
		byte[] encoded = new byte[ED25519_PREFIX.length + 32];
		System.arraycopy(ED25519_PREFIX, 0, encoded, 0, ED25519_PREFIX.length);
		System.arraycopy(x, 0, encoded, ED25519_PREFIX.length, 32);
		return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
	}

	private static PublicKey rsa(JsonNode jwk) throws GeneralSecurityException {
		byte[] n = bytes(jwk, "n");
		byte[] e = bytes(jwk, "e");
		if (n == null || e == null || e.length > 8) {
			return null;
		}
		BigInteger modulus = new BigInteger(1, n);
		BigInteger exponent = new BigInteger(1, e);
		if (modulus.bitLength() < 2048 || modulus.bitLength() > 8192 || !exponent.testBit(0)
				|| exponent.compareTo(BigInteger.ONE) <= 0) {
			return null;
		}
		return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
	}

	private static String text(JsonNode node, String name) {
		JsonNode value = node.get(name);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	private static byte[] bytes(JsonNode node, String name) {
		String value = text(node, name);
		return (value != null && !value.isEmpty() && value.indexOf('=') < 0) ? Base64.getUrlDecoder().decode(value)
				: null;
	}

	private static ECParameterSpec p256() {
		try {
			AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
			parameters.init(new ECGenParameterSpec("secp256r1"));
			return parameters.getParameterSpec(ECParameterSpec.class);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("P-256 is not available", ex);
		}
	}

}
