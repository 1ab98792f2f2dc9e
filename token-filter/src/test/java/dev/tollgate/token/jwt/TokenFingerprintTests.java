package dev.tollgate.token.jwt;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenFingerprintTests {

	/** The key of SipHash's reference vectors: bytes 00..0f. */
	private static final TokenFingerprint.Key REFERENCE = new TokenFingerprint.Key(0x0706050403020100L,
			0x0f0e0d0c0b0a0908L);

	@Test
	void ofWhenReferenceKeyThenSipHash128ReferenceVectors() {
		// vectors_sip128 of the SipHash reference implementation: messages 00, 00 01, ...
		// under key 00..0f
		assertThat(hex(TokenFingerprint.of("", REFERENCE))).isEqualTo("a3817f04ba25a8e66df67214c7550293");
		assertThat(hex(TokenFingerprint.of("\u0000", REFERENCE))).isEqualTo("da87c1d86b99af44347659119b22fc45");
	}

	@Test
	void ofWhenOneCharacterDiffersAnywhereThenAnotherFingerprint() {
		String token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";
		TokenFingerprint.Key key = TokenFingerprint.Key.random();
		TokenFingerprint original = TokenFingerprint.of(token, key);
		for (int i = 0; i < token.length(); i++) {
			String changed = token.substring(0, i) + (char) (token.charAt(i) ^ 1) + token.substring(i + 1);
			assertThat(TokenFingerprint.of(changed, key)).as("changed at %d", i).isNotEqualTo(original);
		}
		assertThat(TokenFingerprint.of(token + "A", key)).isNotEqualTo(original);
		assertThat(TokenFingerprint.of(token, key)).isEqualTo(original);
	}

	@Test
	void ofWhenAnotherKeyThenAnotherFingerprint() {
		String token = "eyJhbGciOiJIUzI1NiJ9.e30.c2ln";

		assertThat(TokenFingerprint.of(token, TokenFingerprint.Key.random()))
			.isNotEqualTo(TokenFingerprint.of(token, TokenFingerprint.Key.random()));
	}

	@Test
	void ofWhenACharacterAboveLatin1ThenNoFingerprint() {
		// U+2041 folds to the byte of 'A' (0x41): no fingerprint rather than a shared one
		assertThat(TokenFingerprint.of("eyJ\u2041.e30.c2ln", REFERENCE)).isNull();
		assertThat(TokenFingerprint.of("eyJA.e30.c2ln", REFERENCE)).isNotNull();
	}

	private static String hex(TokenFingerprint fingerprint) {
		byte[] bytes = new byte[16];
		for (int i = 0; i < 8; i++) {
			bytes[i] = (byte) (fingerprint.high() >>> (8 * i));
			bytes[8 + i] = (byte) (fingerprint.low() >>> (8 * i));
		}
		return HexFormat.of().formatHex(bytes);
	}

}
