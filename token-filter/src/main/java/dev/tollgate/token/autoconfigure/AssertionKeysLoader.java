package dev.tollgate.token.autoconfigure;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.List;

import dev.tollgate.token.jwt.SigningAlgorithm;
import dev.tollgate.token.jwt.SigningKeys;
import dev.tollgate.token.jwt.VerificationKey;

/**
 * Reads the keys that sign assertions ({@code tollgate.assertion.keys}) once at start-up,
 * or, with none configured, derives a key pair from the access-token signing key: the
 * signing key's {@link SigningKeys#derivedSecret derived secret} is the Ed25519 seed (or
 * the P-256 scalar), so every instance that shares the access-token keys signs assertions
 * with the same key and publishes the same {@code kid}, and no new setting is needed.
 * Rotating the access-token key therefore rotates a derived assertion key too; configure
 * the assertion keys to rotate them on their own.
 */
final class AssertionKeysLoader {

	private static final String LABEL = "tollgate/assertion-key/v1/";

	private AssertionKeysLoader() {
	}

	static SigningKeys load(AssertionProperties properties, SigningKeys accessTokenKeys) {
		SigningAlgorithm algorithm = properties.signingAlgorithm();
		if (!properties.keys().isEmpty()) {
			return SigningKeysLoader.keyPairs("tollgate.assertion.keys", algorithm, properties.keys());
		}
		byte[] seed = accessTokenKeys.derivedSecret(LABEL + algorithm.id());
		PrivateKey privateKey = (algorithm == SigningAlgorithm.EdDSA) ? ed25519(seed) : p256(seed);
		PublicKey publicKey = SigningKeysLoader.derivePublicKey(privateKey, "tollgate.assertion.keys", algorithm);
		return SigningKeys.keyPairs(algorithm, privateKey, List.of(VerificationKey.of(algorithm, publicKey, null)));
	}

	private static PrivateKey ed25519(byte[] seed) {
		try {
			return KeyFactory.getInstance("Ed25519")
				.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Ed25519 is not available", ex);
		}
	}

	/** A P-256 private key whose scalar is the seed reduced into [1, n - 1]. */
	private static PrivateKey p256(byte[] seed) {
		try {
			AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
			parameters.init(new ECGenParameterSpec("secp256r1"));
			ECParameterSpec curve = parameters.getParameterSpec(ECParameterSpec.class);
			BigInteger scalar = new BigInteger(1, seed).mod(curve.getOrder().subtract(BigInteger.ONE))
				.add(BigInteger.ONE);
			return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(scalar, curve));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("EC P-256 is not available", ex);
		}
	}

}
