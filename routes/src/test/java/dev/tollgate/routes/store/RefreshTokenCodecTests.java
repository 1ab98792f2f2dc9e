package dev.tollgate.routes.store;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshTokenCodecTests {

	private final RefreshTokenCodec codec = new RefreshTokenCodec();

	private final String familyId = this.codec.newFamilyId();

	private final String familyKey = this.codec.newFamilyKey();

	@Test
	void tokenThenFamilyIdOf128BitsAndSecretOfGenerationNonceAndTag() {
		RefreshTokenCodec.Draft draft = this.codec.draft(this.familyId, 7);

		String token = this.codec.token(draft, this.familyKey);

		String[] parts = token.split("\\.");
		assertThat(parts).hasSize(2);
		assertThat(parts[0]).isEqualTo(this.familyId);
		assertThat(Base64.getUrlDecoder().decode(parts[0])).hasSize(16);
		byte[] secret = Base64.getUrlDecoder().decode(parts[1]);
		assertThat(secret).hasSize(4 + 32 + 16);
		assertThat(ByteBuffer.wrap(secret).getInt()).isEqualTo(7);
		assertThat(token).hasSize(93).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{70}");
	}

	@Test
	void draftWhenRepeatedThenNoncesAndFamiliesDiffer() {
		Set<String> nonces = new HashSet<>();
		Set<String> families = new HashSet<>();
		Set<String> keys = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			nonces.add(this.codec.hash(this.codec.draft(this.familyId, 0).nonce()));
			families.add(this.codec.newFamilyId());
			keys.add(this.codec.newFamilyKey());
		}
		assertThat(nonces).hasSize(1000);
		assertThat(families).hasSize(1000);
		assertThat(keys).hasSize(1000);
	}

	@Test
	void parseWhenIssuedThenItsPartsAndAuthentic() {
		RefreshTokenCodec.Draft draft = this.codec.draft(this.familyId, 3);
		String token = this.codec.token(draft, this.familyKey);

		RefreshTokenCodec.Parsed parsed = this.codec.parse(token);

		assertThat(parsed.familyId()).isEqualTo(this.familyId);
		assertThat(parsed.generation()).isEqualTo(3);
		assertThat(parsed.nonce()).isEqualTo(draft.nonce());
		assertThat(parsed.secret()).isEqualTo(token.substring(23));
		assertThat(this.codec.authentic(parsed, this.familyKey)).isTrue();
		assertThat(parsed.toString()).doesNotContain(parsed.secret());
		assertThat(draft.toString()).doesNotContain(this.codec.hash(draft.nonce()));
	}

	@Test
	void authenticWhenOtherKeyOrAnyPartChangedThenFalse() {
		String token = this.codec.token(this.codec.draft(this.familyId, 2), this.familyKey);
		byte[] secret = Base64.getUrlDecoder().decode(token.substring(23));

		assertThat(this.codec.authentic(this.codec.parse(token), this.codec.newFamilyKey())).isFalse();
		// the same secret under another family id
		String moved = this.codec.newFamilyId() + token.substring(22);
		assertThat(this.codec.authentic(this.codec.parse(moved), this.familyKey)).isFalse();
		for (int index : new int[] { 3, 4, 35, 36, 51 }) {
			byte[] changed = secret.clone();
			changed[index] ^= 1;
			String forged = this.familyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
			assertThat(this.codec.authentic(this.codec.parse(forged), this.familyKey)).as("byte %d", index).isFalse();
		}
	}

	@Test
	void parseWhenMalformedThenNull() {
		String valid = this.codec.token(this.codec.draft(this.familyId, 0), this.familyKey);
		String secret = valid.substring(23);

		assertThat(this.codec.parse(null)).isNull();
		assertThat(this.codec.parse("")).isNull();
		assertThat(this.codec.parse(this.familyId)).isNull();
		assertThat(this.codec.parse(this.familyId + secret + "A")).isNull();
		assertThat(this.codec.parse(this.familyId + "." + secret + "=")).isNull();
		assertThat(this.codec.parse(this.familyId + "." + secret.substring(1) + "+")).isNull();
		assertThat(this.codec.parse(this.familyId + "." + secret.substring(1) + "/")).isNull();
		assertThat(this.codec.parse(secret + "." + this.familyId)).isNull();
		assertThat(this.codec.parse(valid.substring(1) + "\u0000")).isNull();
	}

	@Test
	void parseWhenNonCanonicalOrNegativeGenerationThenNull() {
		// same bytes, other spelling: a last character whose unused low bits are not zero
		String familyId = "A".repeat(22);
		String secret = "A".repeat(70);
		assertThat(this.codec.parse(familyId + "." + secret)).isNotNull();
		assertThat(this.codec.parse("A".repeat(21) + "B" + "." + secret)).isNull();
		assertThat(this.codec.parse(familyId + "." + "A".repeat(69) + "B")).isNull();
		// generation 0x80000000
		assertThat(this.codec.parse(familyId + ".gA" + "A".repeat(68))).isNull();
	}

	@Test
	void hashThenSha256Base64Url() {
		byte[] nonce = this.codec.draft(this.familyId, 0).nonce();

		String hash = this.codec.hash(nonce);

		assertThat(hash).hasSize(43).matches("[A-Za-z0-9_-]+");
		assertThat(this.codec.hash(nonce.clone())).isEqualTo(hash);
		// SHA-256 of "abc" (FIPS 180-2, B.1)
		assertThat(Base64.getUrlDecoder().decode(this.codec.hash("abc".getBytes()))).asHexString()
			.isEqualToIgnoringCase("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
	}

	@Test
	void openWhenSealedUnderThePredecessorThenTheSuccessor() {
		RefreshTokenCodec.Parsed predecessor = this.codec
			.parse(this.codec.token(this.codec.draft(this.familyId, 4), this.familyKey));
		RefreshTokenCodec.Draft successor = this.codec.draft(this.familyId, 5);

		String sealed = this.codec.seal(predecessor, successor);
		RefreshTokenCodec.Draft opened = this.codec.open(predecessor, sealed);

		assertThat(sealed).doesNotContain(this.codec.token(successor, this.familyKey).substring(23));
		assertThat(opened.familyId()).isEqualTo(this.familyId);
		assertThat(opened.generation()).isEqualTo(5);
		assertThat(opened.nonce()).isEqualTo(successor.nonce());
		assertThat(this.codec.token(opened, this.familyKey)).isEqualTo(this.codec.token(successor, this.familyKey));
	}

	@Test
	void sealWhenRepeatedThenFreshIv() {
		RefreshTokenCodec.Parsed predecessor = this.codec
			.parse(this.codec.token(this.codec.draft(this.familyId, 0), this.familyKey));
		RefreshTokenCodec.Draft successor = this.codec.draft(this.familyId, 1);

		assertThat(this.codec.seal(predecessor, successor)).isNotEqualTo(this.codec.seal(predecessor, successor));
	}

	@Test
	void openWhenOtherPredecessorOrDamagedThenNull() {
		RefreshTokenCodec.Parsed predecessor = this.codec
			.parse(this.codec.token(this.codec.draft(this.familyId, 0), this.familyKey));
		RefreshTokenCodec.Parsed other = this.codec
			.parse(this.codec.token(this.codec.draft(this.familyId, 0), this.familyKey));
		String otherFamilyId = this.codec.newFamilyId();
		RefreshTokenCodec.Parsed sameSecretOtherFamily = this.codec
			.parse(otherFamilyId + "." + predecessor.secret());
		String sealed = this.codec.seal(predecessor, this.codec.draft(this.familyId, 1));
		byte[] bytes = Base64.getUrlDecoder().decode(sealed);
		bytes[bytes.length - 1] ^= 1;
		String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

		assertThat(this.codec.open(other, sealed)).isNull();
		assertThat(this.codec.open(sameSecretOtherFamily, sealed)).isNull();
		assertThat(this.codec.open(predecessor, tampered)).isNull();
		assertThat(this.codec.open(predecessor, "not base64!")).isNull();
		assertThat(this.codec.open(predecessor, "AAAA")).isNull();
		assertThat(this.codec.open(predecessor, "")).isNull();
	}

}
