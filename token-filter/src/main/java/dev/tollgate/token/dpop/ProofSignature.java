package dev.tollgate.token.dpop;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;

/**
 * The JWS signature check of a proof (RFC 7515 §5.2, RFC 7518 §3.3 to §3.5, RFC 8037
 * §3.1) with plain JCA: ES256's signature is R || S (IEEE P1363), which JCA reads as such
 * under {@code SHA256withECDSAinP1363Format}; PS256 is RSASSA-PSS with SHA-256, MGF1
 * SHA-256 and a 32-byte salt.
 */
final class ProofSignature {

	private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

	private ProofSignature() {
	}

	/**
	 * Whether the signature after {@code secondDot} signs what precedes it under
	 * {@code key}.
	 */
	static boolean verifies(String algorithm, PublicKey key, String proof, int secondDot) {
		try {
			byte[] signature = BASE64URL.decode(proof.substring(secondDot + 1));
			if (signature.length == 0) {
				return false;
			}
			Signature verifier = switch (algorithm) {
				case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
				case "EdDSA" -> Signature.getInstance("Ed25519");
				case "RS256" -> Signature.getInstance("SHA256withRSA");
				case "PS256" -> pss();
				default -> throw new IllegalArgumentException(algorithm);
			};
			if ("ES256".equals(algorithm) && signature.length != 64) {
				return false;
			}
			verifier.initVerify(key);
			verifier.update(proof.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII));
			return verifier.verify(signature);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return false;
		}
	}

	private static Signature pss() throws GeneralSecurityException {
		Signature pss = Signature.getInstance("RSASSA-PSS");
		pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
		return pss;
	}

}
