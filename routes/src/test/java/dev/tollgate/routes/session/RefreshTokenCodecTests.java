package dev.tollgate.routes.session;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshTokenCodecTests {

	private final RefreshTokenCodec codec = new RefreshTokenCodec();

	private final String sessionId = this.codec.newSessionId();

	private final String tagKey = this.codec.newTagKey();

	@Test
	void tokenThenFamilyIdOf128BitsAndSecretOfGenerationNonceAndTag() {
		RefreshTokenCodec.Draft draft = this.codec.draft(this.sessionId, 7);

		String token = this.codec.token(draft, this.tagKey);

		String[] parts = token.split("\\.");
		assertThat(parts).hasSize(2);
		assertThat(parts[0]).isEqualTo(this.sessionId);
		assertThat(Base64.getUrlDecoder().decode(parts[0])).hasSize(16);
		byte[] secret = Base64.getUrlDecoder().decode(parts[1]);
		assertThat(secret).hasSize(4 + 32 + 16);
		assertThat(ByteBuffer.wrap(secret).getInt()).isEqualTo(7);
		assertThat(token).hasSize(93).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{70}");
	}

	@Test
	void draftWhenRepeatedThenNoncesAndSessionsDiffer() {
		Set<String> nonces = new HashSet<>();
		Set<String> families = new HashSet<>();
		Set<String> keys = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			nonces.add(this.codec.hash(this.codec.draft(this.sessionId, 0).nonce()));
			families.add(this.codec.newSessionId());
			keys.add(this.codec.newTagKey());
		}
		assertThat(nonces).hasSize(1000);
		assertThat(families).hasSize(1000);
		assertThat(keys).hasSize(1000);
	}

	@Test
	void parseWhenIssuedThenItsPartsAndAuthentic() {
		RefreshTokenCodec.Draft draft = this.codec.draft(this.sessionId, 3);
		String token = this.codec.token(draft, this.tagKey);

		RefreshTokenCodec.Parsed parsed = this.codec.parse(token);

		assertThat(parsed.sessionId()).isEqualTo(this.sessionId);
		assertThat(parsed.generation()).isEqualTo(3);
		assertThat(parsed.nonce()).isEqualTo(draft.nonce());
		assertThat(parsed.secret()).isEqualTo(token.substring(23));
		assertThat(this.codec.authentic(parsed, this.tagKey, 0)).isTrue();
		assertThat(parsed.toString()).doesNotContain(parsed.secret());
		assertThat(draft.toString()).doesNotContain(this.codec.hash(draft.nonce()));
	}

	@Test
	void authenticWhenOtherKeyOrAnyPartChangedThenFalse() {
		String token = this.codec.token(this.codec.draft(this.sessionId, 2), this.tagKey);
		byte[] secret = Base64.getUrlDecoder().decode(token.substring(23));

		assertThat(this.codec.authentic(this.codec.parse(token), this.codec.newTagKey(), 0)).isFalse();
		// the same secret under another family id
		String moved = this.codec.newSessionId() + token.substring(22);
		assertThat(this.codec.authentic(this.codec.parse(moved), this.tagKey, 0)).isFalse();
		for (int index : new int[] { 3, 4, 35, 36, 51 }) {
			byte[] changed = secret.clone();
			changed[index] ^= 1;
			String forged = this.sessionId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
			assertThat(this.codec.authentic(this.codec.parse(forged), this.tagKey, 0)).as("byte %d", index).isFalse();
		}
	}

	@Test
	void tokenThenTagIsHmacSha1UnderTheKeysTextOverFamilyGenerationAndNonceHashAsTheRotationScriptComputesIt()
			throws Exception {
		RefreshTokenCodec.Draft draft = this.codec.draft(this.sessionId, 12);
		RefreshTokenCodec.Parsed parsed = this.codec.parse(this.codec.token(draft, this.tagKey));

		javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
		mac.init(new javax.crypto.spec.SecretKeySpec(this.tagKey.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
				"HmacSHA1"));
		byte[] expected = mac.doFinal(("tollgate/tag/v2\n" + this.sessionId + "\n12\n" + this.codec.hash(draft.nonce()))
			.getBytes(java.nio.charset.StandardCharsets.US_ASCII));

		assertThat(parsed.tag()).isEqualTo(java.util.Arrays.copyOf(expected, 16));
		assertThat(this.codec.tagHex(parsed)).isEqualTo(java.util.HexFormat.of().formatHex(expected, 0, 16));
		assertThat(this.codec.tagged(draft, this.codec.tagHex(parsed))).isEqualTo(this.codec.token(draft, this.tagKey));
	}

	@Test
	void authenticWhenGenerationBelowTheCurrentFormatThenThePreviousFormatsTagAndOnlyIt() {
		RefreshTokenCodec.Draft draft = this.codec.draft(this.sessionId, 3);
		RefreshTokenCodec.Parsed previous = this.codec.parse(this.codec.previousFormatToken(draft, this.tagKey));
		RefreshTokenCodec.Parsed current = this.codec.parse(this.codec.token(draft, this.tagKey));

		assertThat(previous.tag()).isNotEqualTo(current.tag());
		assertThat(this.codec.authentic(previous, this.tagKey, RefreshTokenCodec.PREVIOUS_FORMAT_ONLY)).isTrue();
		assertThat(this.codec.authentic(previous, this.tagKey, 4)).isTrue();
		assertThat(this.codec.authentic(previous, this.tagKey, 3)).isFalse();
		assertThat(this.codec.authentic(current, this.tagKey, 3)).isTrue();
		assertThat(this.codec.authentic(current, this.tagKey, RefreshTokenCodec.PREVIOUS_FORMAT_ONLY)).isFalse();
	}

	@Test
	void parseWhenMalformedThenNull() {
		String valid = this.codec.token(this.codec.draft(this.sessionId, 0), this.tagKey);
		String secret = valid.substring(23);

		assertThat(this.codec.parse(null)).isNull();
		assertThat(this.codec.parse("")).isNull();
		assertThat(this.codec.parse(this.sessionId)).isNull();
		assertThat(this.codec.parse(this.sessionId + secret + "A")).isNull();
		assertThat(this.codec.parse(this.sessionId + "." + secret + "=")).isNull();
		assertThat(this.codec.parse(this.sessionId + "." + secret.substring(1) + "+")).isNull();
		assertThat(this.codec.parse(this.sessionId + "." + secret.substring(1) + "/")).isNull();
		assertThat(this.codec.parse(secret + "." + this.sessionId)).isNull();
		assertThat(this.codec.parse(valid.substring(1) + "\u0000")).isNull();
	}

	@Test
	void parseWhenNonCanonicalOrNegativeGenerationThenNull() {
		// same bytes, other spelling: a last character whose unused low bits are not zero
		String sessionId = "A".repeat(22);
		String secret = "A".repeat(70);
		assertThat(this.codec.parse(sessionId + "." + secret)).isNotNull();
		assertThat(this.codec.parse("A".repeat(21) + "B" + "." + secret)).isNull();
		assertThat(this.codec.parse(sessionId + "." + "A".repeat(69) + "B")).isNull();
		// generation 0x80000000
		assertThat(this.codec.parse(sessionId + ".gA" + "A".repeat(68))).isNull();
	}

	@Test
	void hashThenSha256Base64Url() {
		byte[] nonce = this.codec.draft(this.sessionId, 0).nonce();

		String hash = this.codec.hash(nonce);

		assertThat(hash).hasSize(43).matches("[A-Za-z0-9_-]+");
		assertThat(this.codec.hash(nonce.clone())).isEqualTo(hash);
		// SHA-256 of "abc" (FIPS 180-2, B.1)
		assertThat(Base64.getUrlDecoder().decode(this.codec.hash("abc".getBytes()))).asHexString()
			.isEqualToIgnoringCase("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
	}

	@Test
	void successorWhenDerivedAgainWithTheSameSaltThenTheSameToken() {
		RefreshTokenCodec.Parsed predecessor = this.codec
			.parse(this.codec.token(this.codec.draft(this.sessionId, 4), this.tagKey));
		String salt = this.codec.successorSalt();

		RefreshTokenCodec.Draft successor = this.codec.successor(predecessor, salt);
		RefreshTokenCodec.Draft again = this.codec.successor(predecessor, salt);

		assertThat(salt).hasSize(22).matches("[A-Za-z0-9_-]+");
		assertThat(successor.sessionId()).isEqualTo(this.sessionId);
		assertThat(successor.generation()).isEqualTo(5);
		assertThat(successor.nonce()).hasSize(32).isEqualTo(again.nonce()).isNotEqualTo(predecessor.nonce());
		assertThat(this.codec.token(again, this.tagKey)).isEqualTo(this.codec.token(successor, this.tagKey));
	}

	@Test
	void successorWhenOtherSaltOrPredecessorThenAnotherNonce() {
		RefreshTokenCodec.Parsed predecessor = this.codec
			.parse(this.codec.token(this.codec.draft(this.sessionId, 0), this.tagKey));
		RefreshTokenCodec.Parsed other = this.codec
			.parse(this.codec.token(this.codec.draft(this.sessionId, 0), this.tagKey));
		RefreshTokenCodec.Parsed sameSecretOtherFamily = this.codec
			.parse(this.codec.newSessionId() + "." + predecessor.secret());
		String salt = this.codec.successorSalt();
		byte[] nonce = this.codec.successor(predecessor, salt).nonce();

		assertThat(this.codec.successor(predecessor, this.codec.successorSalt()).nonce()).isNotEqualTo(nonce);
		assertThat(this.codec.successor(other, salt).nonce()).isNotEqualTo(nonce);
		assertThat(this.codec.successor(sameSecretOtherFamily, salt).nonce()).isNotEqualTo(nonce);
	}

	@Test
	void successorWhenSaltDamagedThenNull() {
		RefreshTokenCodec.Parsed predecessor = this.codec
			.parse(this.codec.token(this.codec.draft(this.sessionId, 0), this.tagKey));
		String salt = this.codec.successorSalt();

		assertThat(this.codec.successor(predecessor, null)).isNull();
		assertThat(this.codec.successor(predecessor, "")).isNull();
		assertThat(this.codec.successor(predecessor, salt.substring(1))).isNull();
		assertThat(this.codec.successor(predecessor, salt + "A")).isNull();
		assertThat(this.codec.successor(predecessor, "not base64 at all!!!!!")).isNull();
		assertThat(this.codec.successor(predecessor, "A".repeat(21) + "B")).as("non-canonical").isNull();
	}

}
