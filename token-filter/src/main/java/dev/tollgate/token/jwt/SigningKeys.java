package dev.tollgate.token.jwt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;

import dev.tollgate.token.config.TokenProperties;
import dev.tollgate.token.config.TollgateConfigurationException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.KeyException;
import io.jsonwebtoken.security.MacAlgorithm;
import io.jsonwebtoken.security.PrivateJwk;
import io.jsonwebtoken.security.PublicJwk;
import io.jsonwebtoken.security.SignatureAlgorithm;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.io.Resource;

/**
 * The keys that sign and verify access tokens, loaded once at start-up from {@code tollgate.signing}.
 * Key 0 signs; every key verifies, so an operator rotates by prepending a new key and removing the old one
 * once the tokens it signed have expired. With no key configured an ephemeral key is generated and one loud
 * warning is logged.
 */
public final class SigningKeys {

	private static final Log logger = LogFactory.getLog(SigningKeys.class);

	private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

	private final SigningAlgorithm algorithm;

	private final Key signingKey;

	private final String signingKeyId;

	private final Map<String, Key> verificationKeys;

	private final List<Map<String, ?>> publicJwks;

	private final boolean ephemeral;

	private SigningKeys(SigningAlgorithm algorithm, Key signingKey, String signingKeyId,
			Map<String, Key> verificationKeys, List<Map<String, ?>> publicJwks, boolean ephemeral) {
		this.algorithm = algorithm;
		this.signingKey = signingKey;
		this.signingKeyId = signingKeyId;
		this.verificationKeys = Collections.unmodifiableMap(verificationKeys);
		this.publicJwks = List.copyOf(publicJwks);
		this.ephemeral = ephemeral;
	}

	/**
	 * Loads the configured keys, or generates an ephemeral one when none is configured.
	 * @throws TollgateConfigurationException when a key is unreadable or does not fit the algorithm
	 */
	public static SigningKeys load(TokenProperties.Signing signing) {
		SigningAlgorithm algorithm = signing.signingAlgorithm();
		SigningKeys keys = algorithm.isSymmetric() ? loadSecret(signing, algorithm) : loadKeyPairs(signing, algorithm);
		keys.selfTest();
		return keys;
	}

	private static SigningKeys loadSecret(TokenProperties.Signing signing, SigningAlgorithm algorithm) {
		if (!signing.keys().isEmpty()) {
			throw new TollgateConfigurationException("tollgate.signing.keys", "is set but HS256 uses a shared secret",
					"set tollgate.signing.secret, or choose RS256, ES256 or EdDSA");
		}
		byte[] secret = signing.secretBytes();
		if (secret == null) {
			warnEphemeral(algorithm);
			SecretKey key = ((MacAlgorithm) algorithm.jws()).key().build();
			return new SigningKeys(algorithm, key, null, Map.of("", key), List.of(), true);
		}
		SecretKey key = new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256");
		return new SigningKeys(algorithm, key, null, Map.of("", key), List.of(), false);
	}

	private static SigningKeys loadKeyPairs(TokenProperties.Signing signing, SigningAlgorithm algorithm) {
		if (signing.secret() != null) {
			throw new TollgateConfigurationException("tollgate.signing.secret",
					"is set but " + algorithm.id() + " uses key pairs",
					"remove the secret and set tollgate.signing.keys[0].private-key, or choose HS256");
		}
		if (signing.keys().isEmpty()) {
			warnEphemeral(algorithm);
			java.security.KeyPair pair = generateKeyPair(algorithm);
			PublicJwk<?> jwk = publicJwk(pair.getPublic(), null, algorithm);
			return new SigningKeys(algorithm, pair.getPrivate(), jwk.getId(), Map.of(jwk.getId(), pair.getPublic()),
					List.of(jwk), true);
		}
		Map<String, Key> verification = new LinkedHashMap<>();
		List<Map<String, ?>> jwks = new ArrayList<>();
		PrivateKey signer = null;
		String signerId = null;
		for (int i = 0; i < signing.keys().size(); i++) {
			TokenProperties.Key configured = signing.keys().get(i);
			String prefix = "tollgate.signing.keys[" + i + "]";
			PublicKey publicKey;
			if (configured.privateKey() != null) {
				PrivateKey privateKey = (PrivateKey) readPem(configured.privateKey(), prefix + ".private-key",
						algorithm, true);
				publicKey = derivePublicKey(privateKey, prefix + ".private-key", algorithm);
				if (i == 0) {
					signer = privateKey;
				}
			}
			else if (configured.publicKey() != null && i > 0) {
				publicKey = (PublicKey) readPem(configured.publicKey(), prefix + ".public-key", algorithm, false);
			}
			else {
				throw new TollgateConfigurationException(prefix + ".private-key", "is missing",
						(i == 0) ? "key 0 signs tokens: give it a PKCS#8 PEM private key (file:... or classpath:...)"
								: "give a private-key or a public-key PEM resource");
			}
			PublicJwk<?> jwk = publicJwk(publicKey, configured.id(), algorithm);
			if (verification.putIfAbsent(jwk.getId(), publicKey) != null) {
				throw new TollgateConfigurationException(prefix + ".id", "repeats the key id '" + jwk.getId() + "'",
						"give every key a distinct id");
			}
			jwks.add(jwk);
			if (i == 0) {
				signerId = jwk.getId();
			}
		}
		return new SigningKeys(algorithm, signer, signerId, verification, jwks, false);
	}

	private static Key readPem(Resource resource, String key, SigningAlgorithm algorithm, boolean isPrivate) {
		String text;
		try (InputStream in = resource.getInputStream()) {
			text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new TollgateConfigurationException(key, "cannot be read (" + resource.getDescription() + ")",
					"point it at a readable PEM file, e.g. file:/etc/tollgate/signing-key.pem");
		}
		String expected = isPrivate ? "PRIVATE KEY" : "PUBLIC KEY";
		String body = pemBlock(text, expected);
		if (body == null) {
			throw new TollgateConfigurationException(key, "holds no '" + expected + "' PEM block",
					isPrivate ? "convert it to PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in old.pem -out key.pem'"
							: "export it with 'openssl pkey -in key.pem -pubout'");
		}
		byte[] der = Base64.getMimeDecoder().decode(body);
		try {
			KeyFactory factory = KeyFactory.getInstance(algorithm.keyFamily());
			return isPrivate ? factory.generatePrivate(new PKCS8EncodedKeySpec(der))
					: factory.generatePublic(new X509EncodedKeySpec(der));
		}
		catch (GeneralSecurityException ex) {
			throw new TollgateConfigurationException(key, "is not a " + algorithm.keyFamily() + " key",
					algorithm.id() + " needs a " + algorithm.keyFamily() + " key; check tollgate.signing.algorithm");
		}
	}

	/** The base64 body of the first PEM block of {@code type}; other blocks (a certificate chain) are skipped. */
	private static String pemBlock(String text, String type) {
		Matcher matcher = PEM.matcher(text);
		while (matcher.find()) {
			if (type.equals(matcher.group(1))) {
				return matcher.group(2);
			}
		}
		return null;
	}

	private static PublicKey derivePublicKey(PrivateKey privateKey, String key, SigningAlgorithm algorithm) {
		try {
			PrivateJwk<?, ?, ?> jwk = Jwks.builder().key(privateKey).build();
			return jwk.toPublicJwk().toKey();
		}
		catch (KeyException ex) {
			throw new TollgateConfigurationException(key, "does not yield a public key",
					"use a PKCS#8 PEM private key made for " + algorithm.id());
		}
	}

	private static PublicJwk<?> publicJwk(PublicKey key, String id, SigningAlgorithm algorithm) {
		var builder = Jwks.builder().key(key).algorithm(algorithm.id()).publicKeyUse("sig");
		return (id == null || id.isBlank()) ? builder.idFromThumbprint().build() : builder.id(id).build();
	}

	/** A fresh key pair; for EdDSA on Ed25519, the curve PEM keys use (jjwt's EdDSA default is Ed448). */
	private static java.security.KeyPair generateKeyPair(SigningAlgorithm algorithm) {
		if (algorithm == SigningAlgorithm.EdDSA) {
			return Jwks.CRV.Ed25519.keyPair().build();
		}
		return ((SignatureAlgorithm) algorithm.jws()).keyPair().build();
	}

	private static void warnEphemeral(SigningAlgorithm algorithm) {
		logger.warn("*** tollgate.signing: NO SIGNING KEY CONFIGURED. Generated an EPHEMERAL " + algorithm.id()
				+ " key: every token dies with this process and other instances reject it. Fine for a demo, WRONG for"
				+ " production: set tollgate.signing.keys[0].private-key (or tollgate.signing.secret for HS256). ***");
	}

	/** Signs and verifies one probe token so that a key that does not fit the algorithm fails start-up. */
	private void selfTest() {
		String key = this.algorithm.isSymmetric() ? "tollgate.signing.secret" : "tollgate.signing.keys[0].private-key";
		try {
			@SuppressWarnings("unchecked")
			var alg = (io.jsonwebtoken.security.SecureDigestAlgorithm<Key, Key>) this.algorithm.jws();
			String probe = Jwts.builder().subject("probe").signWith(this.signingKey, alg).compact();
			var verify = this.verificationKeys.get(keyIdOrEmpty());
			if (verify instanceof SecretKey secret) {
				Jwts.parser().verifyWith(secret).build().parseSignedClaims(probe);
			}
			else {
				Jwts.parser().verifyWith((PublicKey) verify).build().parseSignedClaims(probe);
			}
		}
		catch (io.jsonwebtoken.JwtException ex) {
			throw new TollgateConfigurationException(key, "does not fit " + this.algorithm.id(),
					"use a key made for " + this.algorithm.id() + " (RSA at least 2048 bits, EC P-256, Ed25519)");
		}
	}

	private String keyIdOrEmpty() {
		return (this.signingKeyId != null) ? this.signingKeyId : "";
	}

	/** The active algorithm. */
	public SigningAlgorithm algorithm() {
		return this.algorithm;
	}

	/** The key that signs new tokens: a private key, or the HS256 secret. */
	Key signingKey() {
		return this.signingKey;
	}

	/** The {@code kid} written into new tokens, or {@code null} (HS256). */
	public String signingKeyId() {
		return this.signingKeyId;
	}

	/** The key that verifies a token with the given {@code kid} ({@code null} for none), or {@code null}. */
	Key verificationKey(String keyId) {
		return this.verificationKeys.get((keyId != null) ? keyId : "");
	}

	/** The public keys as JWKs (RFC 7517), in configuration order; empty under HS256. */
	public List<Map<String, ?>> publicJwks() {
		return this.publicJwks;
	}

	/** The ids of the verification keys in configuration order, the signing key first; empty under HS256. */
	public List<String> keyIds() {
		return List.copyOf(this.verificationKeys.keySet()).stream().filter((id) -> !id.isEmpty()).toList();
	}

	/** Whether the key was generated at start-up and dies with the process. */
	public boolean isEphemeral() {
		return this.ephemeral;
	}

}
