package dev.tollgate.token.dpop;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import dev.tollgate.test.DpopProofs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JwkThumbprintTests {

	/** The RSA key of RFC 7638 §3.1 (RFC 7517 Appendix A.1). */
	private static final String RFC_7638_N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

	@Test
	void ofWhenRfc7638ExampleKeyThenRfcThumbprint() throws Exception {
		PublicKey key = KeyFactory.getInstance("RSA")
			.generatePublic(new RSAPublicKeySpec(new BigInteger(1, Base64.getUrlDecoder().decode(RFC_7638_N)),
					BigInteger.valueOf(65537)));
		assertThat(JwkThumbprint.canonicalJson(key))
			.isEqualTo("{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"" + RFC_7638_N + "\"}");
		assertThat(JwkThumbprint.of(key)).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
	}

	@Test
	void ofWhenEcEdAndRsaKeysThenSameAsAnIndependentImplementation() {
		for (KeyPair keys : new KeyPair[] { DpopProofs.es256(), DpopProofs.ed25519(), DpopProofs.rsa2048() }) {
			String thumbprint = JwkThumbprint.of(keys.getPublic());
			assertThat(thumbprint).hasSize(43).isEqualTo(DpopProofs.jkt(keys.getPublic()));
		}
	}

	@Test
	void ofWhenEcKeyThenRequiredMembersOnlyInOrder() {
		String json = JwkThumbprint.canonicalJson(DpopProofs.es256().getPublic());
		assertThat(json)
			.matches("\\{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"[A-Za-z0-9_-]{43}\",\"y\":\"[A-Za-z0-9_-]{43}\"}");
	}

	@Test
	void ofWhenEd25519KeyThenOkpMembers() {
		assertThat(JwkThumbprint.canonicalJson(DpopProofs.ed25519().getPublic()))
			.matches("\\{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"[A-Za-z0-9_-]{43}\"}");
	}

	@Test
	void ofWhenAnotherCurveThenRefused() throws Exception {
		java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
		generator.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
		PublicKey p384 = generator.generateKeyPair().getPublic();
		assertThatIllegalArgumentException().isThrownBy(() -> JwkThumbprint.of(p384));
	}

}
