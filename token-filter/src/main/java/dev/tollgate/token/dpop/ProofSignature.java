package dev.tollgate.token.dpop;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JWS signature check of a proof (RFC 7515 §5.2, RFC 7518 §3.3 to §3.5, RFC 8037
 * §3.1) with plain JCA: ES256's signature is R || S (IEEE P1363), which JCA reads as such
 * under {@code SHA256withECDSAinP1363Format}; PS256 is RSASSA-PSS with SHA-256, MGF1
 * SHA-256 and a 32-byte salt.
 * <p>
 * A client signs every proof with the same key, so each thread keeps a {@link Signature}
 * initialised with each of the last {@value #KEYS_PER_THREAD} keys it checked: for
 * Ed25519, JCA's provider lookup and {@code initVerify} (the key's point decoded again)
 * cost about 15 µs a proof, and a {@link Signature} is back in its initialised state
 * after every {@code verify}. The gateway checks proofs on its few event-loop threads, so
 * this is at most a few thousand objects in all.
 */
final class ProofSignature {

	/** Initialised signatures a thread keeps, least recently used dropped first. */
	static final int KEYS_PER_THREAD = 256;

	private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

	private static final ThreadLocal<Map<Verifier, Signature>> READY = ThreadLocal
		.withInitial(() -> new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<Verifier, Signature> eldest) {
				return size() > KEYS_PER_THREAD;
			}

		});

	private ProofSignature() {
	}

	/**
	 * Whether the signature after {@code secondDot} signs what precedes it under
	 * {@code key}.
	 */
	static boolean verifies(String algorithm, PublicKey key, String proof, int secondDot) {
		byte[] signature;
		try {
			signature = BASE64URL.decode(proof.substring(secondDot + 1));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		if (signature.length == 0 || ("ES256".equals(algorithm) && signature.length != 64)) {
			return false;
		}
		Verifier verifier = new Verifier(algorithm, key);
		Map<Verifier, Signature> ready = READY.get();
		try {
			Signature initialised = ready.get(verifier);
			if (initialised == null) {
				initialised = initialised(algorithm, key);
				ready.put(verifier, initialised);
			}
			initialised.update(proof.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII));
			return initialised.verify(signature);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			// a verify that threw may not have reset the object: not used again
			ready.remove(verifier);
			return false;
		}
	}

	private static Signature initialised(String algorithm, PublicKey key) throws GeneralSecurityException {
		Signature signature = switch (algorithm) {
			case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
			case "EdDSA" -> Signature.getInstance("Ed25519");
			case "RS256" -> Signature.getInstance("SHA256withRSA");
			case "PS256" -> pss();
			default -> throw new IllegalArgumentException(algorithm);
		};
		signature.initVerify(key);
		return signature;
	}

	private static Signature pss() throws GeneralSecurityException {
		Signature pss = Signature.getInstance("RSASSA-PSS");
		pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
		return pss;
	}

	/** One algorithm with one key: an RSA key may sign RS256 and PS256 proofs. */
	private record Verifier(String algorithm, PublicKey key) {
	}

}
