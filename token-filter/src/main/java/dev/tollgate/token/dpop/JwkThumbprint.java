package dev.tollgate.token.dpop;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * RFC 7638 JWK thumbprints (SHA-256, base64url): the hash of the key's required members
 * only, in lexicographic order, without whitespace (§3.2, §3.3). The {@code jkt} of RFC
 * 9449 §6.
 */
public final class JwkThumbprint {

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	/** The length of the X.509 prefix of an Ed25519 public key before its 32 bytes. */
	private static final int ED25519_PREFIX = 12;

	private JwkThumbprint() {
	}

	/**
	 * The thumbprint of {@code key}: an EC P-256, Ed25519 or RSA public key.
	 * @throws IllegalArgumentException for any other key
	 */
	public static String of(PublicKey key) {
		return BASE64URL.encodeToString(sha256(canonicalJson(key)));
	}

	/**
	 * The RFC 7638 §3.2 JSON of the key's required members: also the smallest public JWK
	 * of the key (RFC 7517), as a client may send it in a proof.
	 * @throws IllegalArgumentException for a key other than EC P-256, Ed25519 or RSA
	 */
	public static String canonicalJson(PublicKey key) {
		if (key instanceof ECPublicKey ec) {
			if (ec.getParams().getCurve().getField().getFieldSize() != 256) {
				throw new IllegalArgumentException("only P-256 EC keys have a thumbprint here");
			}
			return "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + coordinate(ec.getW().getAffineX()) + "\",\"y\":\""
					+ coordinate(ec.getW().getAffineY()) + "\"}";
		}
		if (key instanceof RSAPublicKey rsa) {
			return "{\"e\":\"" + unsigned(rsa.getPublicExponent()) + "\",\"kty\":\"RSA\",\"n\":\""
					+ unsigned(rsa.getModulus()) + "\"}";
		}
		if (key instanceof EdECPublicKey ed && "Ed25519".equals(ed.getParams().getName())) {
			byte[] encoded = key.getEncoded();
			byte[] x = Arrays.copyOfRange(encoded, ED25519_PREFIX, encoded.length);
			return "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + BASE64URL.encodeToString(x) + "\"}";
		}
		throw new IllegalArgumentException("no thumbprint for a " + key.getAlgorithm() + " key");
	}

	/** A P-256 coordinate: 32 bytes, big-endian, left-padded (RFC 7518 §6.2.1.2). */
	private static String coordinate(BigInteger value) {
		byte[] bytes = value.toByteArray();
		byte[] fixed = new byte[32];
		int length = Math.min(bytes.length, 32);
		System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
		return BASE64URL.encodeToString(fixed);
	}

	/** An unsigned big-endian integer without leading zeros (RFC 7518 §6.3.1, §2). */
	private static String unsigned(BigInteger value) {
		byte[] bytes = value.toByteArray();
		int skip = (bytes.length > 1 && bytes[0] == 0) ? 1 : 0;
		return BASE64URL.encodeToString(Arrays.copyOfRange(bytes, skip, bytes.length));
	}

	static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
