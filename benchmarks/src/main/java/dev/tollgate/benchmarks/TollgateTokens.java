package dev.tollgate.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tollgate.token.autoconfigure.SigningKeysLoader;
import dev.tollgate.token.autoconfigure.TokenProperties;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.SigningAlgorithm;
import dev.tollgate.token.jwt.SigningKeys;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * One algorithm's key pair, configured into Tollgate the way an operator would (a PEM
 * private key with an explicit {@code kid}), with the issuer, the verifier, one valid
 * token and one with a bad signature. The public key is exposed so that Spring Security
 * verifies the very same tokens.
 */
final class TollgateTokens {

	static final String ISSUER = "tollgate";

	static final String AUDIENCE = "api";

	static final String KEY_ID = "bench-1";

	/** {@code null} for HS256. */
	final KeyPair keyPair;

	/** The HS256 key's bytes; {@code null} for the other algorithms. */
	final byte[] secret;

	final AccessTokenVerifier verifier;

	/**
	 * Mints tokens the {@link #verifier} accepts, as the gateway's login and refresh do.
	 */
	final AccessTokenIssuer issuer;

	/**
	 * Minted by {@link AccessTokenIssuer}: iss, aud, sub, roles, sid, jti, iat, exp; typ
	 * at+jwt and kid.
	 */
	final String validToken;

	/**
	 * {@link #validToken} with one signature character changed in the middle, so the
	 * bytes really differ.
	 */
	final String badSignatureToken;

	TollgateTokens(SigningAlgorithm algorithm) {
		this(algorithm, false);
	}

	/**
	 * @param algorithm the signing algorithm
	 * @param cached whether the verifier keeps its validated-token cache (the gateway's
	 * default) or verifies every token in full (what a first-seen token costs)
	 */
	TollgateTokens(SigningAlgorithm algorithm, boolean cached) {
		this(algorithm, cached ? 100_000 : 0);
	}

	/**
	 * @param algorithm the signing algorithm
	 * @param cacheMaxSize {@code tollgate.access-token.cache.max-size} of the verifier
	 * (0: no cache)
	 */
	TollgateTokens(SigningAlgorithm algorithm, long cacheMaxSize) {
		boolean hmac = algorithm == SigningAlgorithm.HS256;
		this.keyPair = hmac ? null : generate(algorithm);
		Map<String, Object> values = new LinkedHashMap<>(
				Map.of("tollgate.issuer", ISSUER, "tollgate.audience", AUDIENCE, "tollgate.access-token.cache.max-size",
						Long.toString(cacheMaxSize), "tollgate.signing.algorithm", algorithm.id()));
		this.secret = hmac ? secret() : null;
		if (hmac) {
			values.put("tollgate.signing.secret", Base64.getEncoder().encodeToString(this.secret));
		}
		else {
			values.put("tollgate.signing.keys[0].id", KEY_ID);
			values.put("tollgate.signing.keys[0].private-key", pem(this.keyPair));
		}
		TokenProperties properties = properties(values);
		SigningKeys keys = SigningKeysLoader.load(properties.signing());
		Clock clock = Clock.systemUTC();
		this.verifier = new AccessTokenVerifier(properties.accessTokenSettings(),
				properties.validatedTokenCacheSettings(), keys, clock);
		this.issuer = new AccessTokenIssuer(properties.accessTokenSettings(), keys, clock);
		this.validToken = this.issuer.issue("user-42", List.of("user", "admin"), "family-7").value();
		this.badSignatureToken = tamperSignature(this.validToken);
	}

	/**
	 * {@code count} distinct valid tokens, one user and session each, minted as
	 * {@link #validToken} is.
	 */
	String[] mint(int count) {
		String[] minted = new String[count];
		for (int i = 0; i < count; i++) {
			minted[i] = this.issuer.issue("user-" + i, List.of("user", "admin"), "family-" + i).value();
		}
		return minted;
	}

	/** The settings as Spring Boot binds them, every key not given at its default. */
	private static TokenProperties properties(Map<String, Object> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("tollgate", TokenProperties.class);
	}

	PublicKey publicKey() {
		return this.keyPair.getPublic();
	}

	private static KeyPair generate(SigningAlgorithm algorithm) {
		try {
			KeyPairGenerator generator;
			switch (algorithm) {
				case RS256 -> {
					generator = KeyPairGenerator.getInstance("RSA");
					generator.initialize(2048);
				}
				case ES256 -> {
					generator = KeyPairGenerator.getInstance("EC");
					generator.initialize(new ECGenParameterSpec("secp256r1"));
				}
				case EdDSA -> generator = KeyPairGenerator.getInstance("Ed25519");
				default -> throw new IllegalArgumentException("no key pair for " + algorithm);
			}
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An HS256 key as an operator configures it: 256 random bits (base64 in the
	 * configuration).
	 */
	private static byte[] secret() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return key;
	}

	private static ByteArrayResource pem(KeyPair pair) {
		String body = Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded());
		String pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
		return new ByteArrayResource(pem.getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Changes a character in the middle of the signature. Not the last one: its low bits
	 * can be padding that a base64url decoder drops, which would leave the signature
	 * bytes, and the verdict, unchanged.
	 */
	private static String tamperSignature(String token) {
		int signatureStart = token.lastIndexOf('.') + 1;
		int at = signatureStart + (token.length() - signatureStart) / 2;
		char replacement = (token.charAt(at) == 'A') ? 'B' : 'A';
		return token.substring(0, at) + replacement + token.substring(at + 1);
	}

}
