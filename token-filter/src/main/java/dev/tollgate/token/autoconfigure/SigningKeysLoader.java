package dev.tollgate.token.autoconfigure;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tollgate.token.jwt.SigningAlgorithm;
import dev.tollgate.token.jwt.SigningKeys;
import dev.tollgate.token.jwt.VerificationKey;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.KeyException;
import io.jsonwebtoken.security.PrivateJwk;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.io.Resource;

/**
 * Reads the {@link SigningKeys} that {@code tollgate.signing} names, once at start-up:
 * the HS256 secret, or the PEM resources of the asymmetric keys. With no key configured
 * it generates an ephemeral one and logs one loud warning. Every key that cannot be read
 * or does not fit the algorithm stops start-up with a
 * {@link TollgateConfigurationException} naming its key.
 */
public final class SigningKeysLoader {

	private static final Log logger = LogFactory.getLog(SigningKeysLoader.class);

	private static final Pattern PEM = Pattern
		.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

	private SigningKeysLoader() {
	}

	/**
	 * Loads the configured keys, or generates an ephemeral one when none is configured.
	 * @throws TollgateConfigurationException when a key is unreadable or does not fit the
	 * algorithm
	 */
	public static SigningKeys load(TokenProperties.Signing signing) {
		SigningAlgorithm algorithm = signing.signingAlgorithm();
		return algorithm.isSymmetric() ? loadSecret(signing, algorithm) : loadKeyPairs(signing, algorithm);
	}

	private static SigningKeys loadSecret(TokenProperties.Signing signing, SigningAlgorithm algorithm) {
		if (!signing.keys().isEmpty()) {
			throw new TollgateConfigurationException("tollgate.signing.keys", "is set but HS256 uses a shared secret",
					"set tollgate.signing.secret, or choose RS256, ES256 or EdDSA");
		}
		byte[] secret = signing.secretBytes();
		if (secret == null) {
			warnEphemeral(algorithm);
			return fitting(algorithm, () -> SigningKeys.ephemeral(algorithm));
		}
		return fitting(algorithm, () -> SigningKeys.sharedSecret(secret));
	}

	private static SigningKeys loadKeyPairs(TokenProperties.Signing signing, SigningAlgorithm algorithm) {
		if (signing.secret() != null) {
			throw new TollgateConfigurationException("tollgate.signing.secret",
					"is set but " + algorithm.id() + " uses key pairs",
					"remove the secret and set tollgate.signing.keys[0].private-key, or choose HS256");
		}
		if (signing.keys().isEmpty()) {
			warnEphemeral(algorithm);
			return fitting(algorithm, () -> SigningKeys.ephemeral(algorithm));
		}
		return keyPairs("tollgate.signing.keys", algorithm, signing.keys());
	}

	/**
	 * The key pairs {@code keys} names, configured under {@code keysKey} (e.g.
	 * {@code tollgate.signing.keys}): key 0 signs and needs a private key; the others
	 * verify and may give only a public key.
	 * @throws TollgateConfigurationException when a key is missing, unreadable, repeated
	 * or does not fit
	 */
	static SigningKeys keyPairs(String keysKey, SigningAlgorithm algorithm, List<TokenProperties.Key> keys) {
		List<VerificationKey> verification = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		PrivateKey signer = null;
		for (int i = 0; i < keys.size(); i++) {
			TokenProperties.Key configured = keys.get(i);
			String prefix = keysKey + "[" + i + "]";
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
			VerificationKey key = VerificationKey.of(algorithm, publicKey, configured.id());
			if (!ids.add(key.id())) {
				throw new TollgateConfigurationException(prefix + ".id", "repeats the key id '" + key.id() + "'",
						"give every key a distinct id");
			}
			verification.add(key);
		}
		PrivateKey signingKey = signer;
		return fitting(keysKey + "[0].private-key", algorithm,
				() -> SigningKeys.keyPairs(algorithm, signingKey, verification));
	}

	/**
	 * The keys {@code keys} builds, or the configuration error of a key that does not fit
	 * the algorithm.
	 */
	private static SigningKeys fitting(SigningAlgorithm algorithm, Supplier<SigningKeys> keys) {
		return fitting(algorithm.isSymmetric() ? "tollgate.signing.secret" : "tollgate.signing.keys[0].private-key",
				algorithm, keys);
	}

	private static SigningKeys fitting(String key, SigningAlgorithm algorithm, Supplier<SigningKeys> keys) {
		try {
			return keys.get();
		}
		catch (IllegalArgumentException ex) {
			throw new TollgateConfigurationException(key, "does not fit " + algorithm.id(),
					"use a key made for " + algorithm.id() + " (RSA at least 2048 bits, EC P-256, Ed25519)");
		}
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
					algorithm.id() + " needs a " + algorithm.keyFamily() + " key; check "
							+ key.substring(0, key.indexOf(".keys[")) + ".algorithm");
		}
	}

	/**
	 * The base64 body of the first PEM block of {@code type}; other blocks (a certificate
	 * chain) are skipped.
	 */
	private static String pemBlock(String text, String type) {
		Matcher matcher = PEM.matcher(text);
		while (matcher.find()) {
			if (type.equals(matcher.group(1))) {
				return matcher.group(2);
			}
		}
		return null;
	}

	/**
	 * The public half of a private key: plain JCA cannot derive it for EC and Ed25519
	 * keys, jjwt's JWKs can.
	 */
	static PublicKey derivePublicKey(PrivateKey privateKey, String key, SigningAlgorithm algorithm) {
		try {
			PrivateJwk<?, ?, ?> jwk = Jwks.builder().key(privateKey).build();
			return jwk.toPublicJwk().toKey();
		}
		catch (KeyException ex) {
			throw new TollgateConfigurationException(key, "does not yield a public key",
					"use a PKCS#8 PEM private key made for " + algorithm.id());
		}
	}

	private static void warnEphemeral(SigningAlgorithm algorithm) {
		logger.warn("*** tollgate.signing: NO SIGNING KEY CONFIGURED. Generated an EPHEMERAL " + algorithm.id()
				+ " key: every token dies with this process and other instances reject it. Fine for a demo, WRONG for"
				+ " production: set tollgate.signing.keys[0].private-key (or tollgate.signing.secret for HS256). ***");
	}

}
