package dev.tollgate.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import dev.tollgate.token.config.TokenProperties;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.SigningAlgorithm;
import dev.tollgate.token.jwt.SigningKeys;

import org.springframework.core.io.ByteArrayResource;

/**
 * One algorithm's key pair, configured into Tollgate the way an operator would (a PEM private key with an
 * explicit {@code kid}), with the issuer, the verifier, one valid token and one with a bad signature. The
 * public key is exposed so that Spring Security verifies the very same tokens.
 */
final class TollgateTokens {

	static final String ISSUER = "tollgate";

	static final String AUDIENCE = "api";

	static final String KEY_ID = "bench-1";

	/** {@code null} for HS256. */
	final KeyPair keyPair;

	final AccessTokenVerifier verifier;

	/** Minted by {@link AccessTokenIssuer}: iss, aud, sub, roles, sid, jti, iat, exp; typ at+jwt and kid. */
	final String validToken;

	/** {@link #validToken} with one signature character changed in the middle, so the bytes really differ. */
	final String badSignatureToken;

	TollgateTokens(SigningAlgorithm algorithm) {
		boolean hmac = algorithm == SigningAlgorithm.HS256;
		this.keyPair = hmac ? null : generate(algorithm);
		TokenProperties.Signing signing = hmac ? new TokenProperties.Signing(algorithm.id(), secret(), List.of())
				: new TokenProperties.Signing(algorithm.id(), null,
						List.of(new TokenProperties.Key(KEY_ID, pem(this.keyPair), null)));
		TokenProperties properties = new TokenProperties(ISSUER, AUDIENCE,
				new TokenProperties.AccessToken(Duration.ofMinutes(15), Duration.ofSeconds(30)), signing);
		SigningKeys keys = SigningKeys.load(properties.signing());
		Clock clock = Clock.systemUTC();
		this.verifier = new AccessTokenVerifier(properties, keys, clock);
		this.validToken = new AccessTokenIssuer(properties, keys, clock)
			.issue("user-42", List.of("user", "admin"), "family-7")
			.value();
		this.badSignatureToken = tamperSignature(this.validToken);
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

	/** An HS256 key as an operator configures it: 256 random bits, base64. */
	private static String secret() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	private static ByteArrayResource pem(KeyPair pair) {
		String body = Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded());
		String pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
		return new ByteArrayResource(pem.getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Changes a character in the middle of the signature. Not the last one: its low bits can be padding that
	 * a base64url decoder drops, which would leave the signature bytes, and the verdict, unchanged.
	 */
	private static String tamperSignature(String token) {
		int signatureStart = token.lastIndexOf('.') + 1;
		int at = signatureStart + (token.length() - signatureStart) / 2;
		char replacement = (token.charAt(at) == 'A') ? 'B' : 'A';
		return token.substring(0, at) + replacement + token.substring(at + 1);
	}

}
