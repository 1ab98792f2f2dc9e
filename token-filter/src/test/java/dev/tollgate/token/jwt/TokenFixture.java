package dev.tollgate.token.jwt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One configured algorithm with its keys, verifier and issuer at a fixed instant, plus
 * the means to build tokens by hand: JSON header and payload, base64url, and a signature
 * computed with plain JCA, so that a test can forge exactly the token an attacker would
 * send. Public for the tests of the keys' loader.
 */
public final class TokenFixture {

	public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	/** A fixed 256-bit HS256 secret, base64. */
	public static final String SECRET = Base64.getEncoder()
		.encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

	/**
	 * The defaults of {@code tollgate.*}: issuer {@code tollgate}, audience {@code api},
	 * 15 minutes, 30 s skew.
	 */
	static final AccessTokenSettings SETTINGS = new AccessTokenSettings("tollgate", "api", Duration.ofMinutes(15),
			Duration.ofSeconds(30));

	/** The default size of the validated-token cache. */
	static final ValidatedTokenCacheSettings CACHE = new ValidatedTokenCacheSettings(100_000);

	private static final ObjectMapper JSON = new ObjectMapper();

	final SigningAlgorithm algorithm;

	public final SigningKeys keys;

	public final AccessTokenVerifier verifier;

	public final AccessTokenIssuer issuer;

	private TokenFixture(SigningKeys keys) {
		this.algorithm = keys.algorithm();
		this.keys = keys;
		this.verifier = new AccessTokenVerifier(SETTINGS, CACHE, keys, CLOCK);
		this.issuer = new AccessTokenIssuer(SETTINGS, keys, CLOCK);
	}

	/** Ephemeral keys for an asymmetric algorithm, {@link #SECRET} for HS256. */
	static TokenFixture of(SigningAlgorithm algorithm) {
		return of(algorithm.isSymmetric() ? SigningKeys.sharedSecret(Base64.getDecoder().decode(SECRET))
				: SigningKeys.ephemeral(algorithm));
	}

	public static TokenFixture of(SigningKeys keys) {
		return new TokenFixture(keys);
	}

	/**
	 * The key that signs {@code keys}' tokens, which only the {@code jwt} package sees.
	 */
	public static Key signingKey(SigningKeys keys) {
		return keys.signingKey();
	}

	/** The header our issuer writes. */
	Map<String, Object> header() {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("alg", this.algorithm.id());
		header.put("typ", "at+jwt");
		if (this.keys.signingKeyId() != null) {
			header.put("kid", this.keys.signingKeyId());
		}
		return header;
	}

	/** The claims our issuer writes, issued now and valid for 15 minutes. */
	public static Map<String, Object> claims() {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", "tollgate");
		claims.put("aud", "api");
		claims.put("sub", "user-42");
		claims.put("roles", List.of("admin", "ops"));
		claims.put("sid", "family-7");
		claims.put("jti", "token-1");
		claims.put("iat", NOW.getEpochSecond());
		claims.put("exp", NOW.plusSeconds(900).getEpochSecond());
		return claims;
	}

	/** A token signed with the configured signing key. */
	String token(Map<String, ?> header, Map<String, ?> claims) {
		return token(json(header), json(claims));
	}

	String token(String headerJson, String claimsJson) {
		return signed(headerJson, claimsJson, this.algorithm.id(), this.keys.signingKey());
	}

	/**
	 * A token whose signature is computed with {@code alg} (a JWS id) and {@code key}.
	 */
	static String signed(String headerJson, String claimsJson, String alg, Key key) {
		String input = b64(headerJson) + "." + b64(claimsJson);
		return input + "." + b64(sign(alg, key, input.getBytes(StandardCharsets.US_ASCII)));
	}

	public static String signed(Map<String, ?> header, Map<String, ?> claims, String alg, Key key) {
		return signed(json(header), json(claims), alg, key);
	}

	static byte[] sign(String alg, Key key, byte[] input) {
		try {
			if (alg.equals("HS256")) {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(key);
				return mac.doFinal(input);
			}
			Signature signature = Signature.getInstance(switch (alg) {
				case "RS256" -> "SHA256withRSA";
				case "ES256" -> "SHA256withECDSAinP1363Format";
				case "ES256-DER" -> "SHA256withECDSA";
				case "EdDSA" -> "EdDSA";
				default -> throw new IllegalArgumentException(alg);
			});
			signature.initSign((PrivateKey) key);
			signature.update(input);
			return signature.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Key hmacKey(byte[] bytes) {
		return new SecretKeySpec(bytes, "HmacSHA256");
	}

	static String b64(String text) {
		return b64(text.getBytes(StandardCharsets.UTF_8));
	}

	static String b64(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static String json(Map<String, ?> members) {
		try {
			return JSON.writeValueAsString(members);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * {@code base} with {@code name} set to {@code value}, or removed when {@code value}
	 * is {@code null}.
	 */
	public static Map<String, Object> with(Map<String, Object> base, String name, Object value) {
		Map<String, Object> copy = new LinkedHashMap<>(base);
		if (value == null) {
			copy.remove(name);
		}
		else {
			copy.put(name, value);
		}
		return copy;
	}

}
