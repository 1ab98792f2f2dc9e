package dev.tollgate.backend.assertion;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.tollgate.backend.jwks.VerificationKey;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.io.Deserializer;

/**
 * The protected header of an assertion, read and checked before any key is looked up (RFC
 * 8725 §3.1, §3.10, §3.11): jjwt would refuse {@code alg: none} or {@code crit} before
 * its key locator runs and call it a malformed token, and the {@code kid} is needed first
 * to find the key.
 *
 * @param algorithm the {@code alg}: {@code EdDSA} or {@code ES256}
 * @param keyId the {@code kid}
 */
record AssertionHeader(String algorithm, String keyId) {

	/**
	 * Header parameters never honoured: no embedded key or key URL, no extension to
	 * understand.
	 */
	private static final List<String> FORBIDDEN = List.of("jwk", "jku", "x5u", "x5c", "crit", "b64", "zip");

	/**
	 * Checks the shape of {@code assertion} (at most {@link AssertionVerifier#MAX_LENGTH}
	 * characters, three base64url segments, a signature) and its header.
	 * @throws InvalidAssertionException when either is wrong
	 */
	static AssertionHeader read(String assertion, Deserializer<Map<String, ?>> json) {
		if (assertion.length() > AssertionVerifier.MAX_LENGTH) {
			throw new InvalidAssertionException("assertion too large");
		}
		int firstDot = assertion.indexOf('.');
		int secondDot = (firstDot > 0) ? assertion.indexOf('.', firstDot + 1) : -1;
		if (secondDot < 0 || secondDot == firstDot + 1 || secondDot == assertion.length() - 1
				|| !isBase64Url(assertion, 0, firstDot) || !isBase64Url(assertion, firstDot + 1, secondDot)
				|| !isBase64Url(assertion, secondDot + 1, assertion.length())) {
			throw new InvalidAssertionException("malformed assertion");
		}
		Map<String, ?> header = decode(assertion.substring(0, firstDot), json);
		for (String name : FORBIDDEN) {
			if (header.containsKey(name)) {
				throw new InvalidAssertionException("header parameter " + name + " not accepted");
			}
		}
		if (!AssertionVerifier.TYPE.equals(header.get("typ"))) {
			throw new InvalidAssertionException("not an assertion (typ)");
		}
		Object algorithm = header.get("alg");
		if (!VerificationKey.EDDSA.equals(algorithm) && !VerificationKey.ES256.equals(algorithm)) {
			throw new InvalidAssertionException("algorithm not accepted");
		}
		if (!(header.get("kid") instanceof String keyId) || keyId.isEmpty()) {
			throw new InvalidAssertionException("missing kid");
		}
		return new AssertionHeader((String) algorithm, keyId);
	}

	private static Map<String, ?> decode(String segment, Deserializer<Map<String, ?>> json) {
		try {
			byte[] bytes = Base64.getUrlDecoder().decode(segment);
			return json.deserialize(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
		}
		catch (IllegalArgumentException | JwtException ex) {
			throw new InvalidAssertionException("malformed assertion");
		}
	}

	/**
	 * Whether {@code text[start, end)} holds only base64url characters (RFC 4648 §5, no
	 * padding).
	 */
	private static boolean isBase64Url(String text, int start, int end) {
		for (int i = start; i < end; i++) {
			char c = text.charAt(i);
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
				return false;
			}
		}
		return true;
	}

}
