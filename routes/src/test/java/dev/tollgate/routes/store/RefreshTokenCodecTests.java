package dev.tollgate.routes.store;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshTokenCodecTests {

	private final RefreshTokenCodec codec = new RefreshTokenCodec();

	@Test
	void mintFamilyThenFamilyIdOf128BitsAndSecretOf256Bits() {
		RefreshTokenCodec.Minted minted = this.codec.mintFamily();

		String[] parts = minted.value().split("\\.");
		assertThat(parts).hasSize(2);
		assertThat(parts[0]).isEqualTo(minted.familyId());
		assertThat(Base64.getUrlDecoder().decode(parts[0])).hasSize(16);
		assertThat(Base64.getUrlDecoder().decode(parts[1])).hasSize(32);
		assertThat(minted.hash()).isEqualTo(this.codec.hash(parts[1]));
	}

	@Test
	void mintWhenRepeatedThenSecretsAndFamiliesDiffer() {
		Set<String> values = new HashSet<>();
		Set<String> families = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			RefreshTokenCodec.Minted minted = this.codec.mintFamily();
			values.add(minted.value().substring(23));
			families.add(minted.familyId());
		}
		assertThat(values).hasSize(1000);
		assertThat(families).hasSize(1000);
	}

	@Test
	void mintWhenFamilyGivenThenSameFamily() {
		RefreshTokenCodec.Minted first = this.codec.mintFamily();

		RefreshTokenCodec.Minted next = this.codec.mint(first.familyId());

		assertThat(next.familyId()).isEqualTo(first.familyId());
		assertThat(next.value()).startsWith(first.familyId() + ".").isNotEqualTo(first.value());
	}

	@Test
	void parseWhenMintedThenFamilyIdAndSecret() {
		RefreshTokenCodec.Minted minted = this.codec.mintFamily();

		RefreshTokenCodec.Parsed parsed = this.codec.parse(minted.value());

		assertThat(parsed.familyId()).isEqualTo(minted.familyId());
		assertThat(this.codec.hash(parsed.secret())).isEqualTo(minted.hash());
		assertThat(parsed.toString()).doesNotContain(parsed.secret());
	}

	@Test
	void parseWhenMalformedThenNull() {
		String valid = this.codec.mintFamily().value();
		String familyId = valid.substring(0, 22);
		String secret = valid.substring(23);

		assertThat(this.codec.parse(null)).isNull();
		assertThat(this.codec.parse("")).isNull();
		assertThat(this.codec.parse(familyId)).isNull();
		assertThat(this.codec.parse(familyId + secret + "A")).isNull();
		assertThat(this.codec.parse(familyId + "." + secret + "=")).isNull();
		assertThat(this.codec.parse(familyId + "." + secret.replace(secret.charAt(5), '+'))).isNull();
		assertThat(this.codec.parse(familyId + "." + secret.replace(secret.charAt(5), '/'))).isNull();
		assertThat(this.codec.parse(secret + "." + familyId)).isNull();
		assertThat(this.codec.parse(valid + "\u0000")).isNull();
	}

	@Test
	void parseWhenPaddingBitsSetThenNull() {
		// same bytes, other spelling: a last character whose unused low bits are not zero
		String familyId = "A".repeat(22);
		String secret = "A".repeat(43);
		assertThat(this.codec.parse(familyId + "." + secret)).isNotNull();

		assertThat(this.codec.parse("A".repeat(21) + "B" + "." + secret)).isNull();
		assertThat(this.codec.parse(familyId + "." + "A".repeat(42) + "B")).isNull();
	}

	@Test
	void hashThenSha256Base64UrlAndNotTheSecret() {
		String secret = this.codec.mintFamily().value().substring(23);

		String hash = this.codec.hash(secret);

		assertThat(hash).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(secret);
		assertThat(this.codec.hash(secret)).isEqualTo(hash);
		// SHA-256 of "abc" (FIPS 180-2, B.1)
		assertThat(Base64.getUrlDecoder().decode(this.codec.hash("abc"))).asHexString()
			.isEqualToIgnoringCase("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
	}

	@Test
	void openWhenSealedUnderSameSecretThenSuccessor() {
		RefreshTokenCodec.Parsed predecessor = this.codec.parse(this.codec.mintFamily().value());
		String successor = this.codec.mint(predecessor.familyId()).value();

		String sealed = this.codec.seal(predecessor.secret(), predecessor.familyId(), successor);

		assertThat(sealed).doesNotContain(successor).doesNotContain(successor.substring(23));
		assertThat(this.codec.open(predecessor.secret(), predecessor.familyId(), sealed)).isEqualTo(successor);
	}

	@Test
	void sealWhenRepeatedThenFreshIv() {
		RefreshTokenCodec.Parsed predecessor = this.codec.parse(this.codec.mintFamily().value());
		String successor = this.codec.mint(predecessor.familyId()).value();

		assertThat(this.codec.seal(predecessor.secret(), predecessor.familyId(), successor))
			.isNotEqualTo(this.codec.seal(predecessor.secret(), predecessor.familyId(), successor));
	}

	@Test
	void openWhenOtherSecretOrFamilyOrDamagedThenNull() {
		RefreshTokenCodec.Parsed predecessor = this.codec.parse(this.codec.mintFamily().value());
		RefreshTokenCodec.Parsed other = this.codec.parse(this.codec.mint(predecessor.familyId()).value());
		String sealed = this.codec.seal(predecessor.secret(), predecessor.familyId(), "successor");
		byte[] bytes = Base64.getUrlDecoder().decode(sealed);
		bytes[bytes.length - 1] ^= 1;
		String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

		assertThat(this.codec.open(other.secret(), predecessor.familyId(), sealed)).isNull();
		assertThat(this.codec.open(predecessor.secret(), this.codec.mintFamily().familyId(), sealed)).isNull();
		assertThat(this.codec.open(predecessor.secret(), predecessor.familyId(), tampered)).isNull();
		assertThat(this.codec.open(predecessor.secret(), predecessor.familyId(), "not base64!")).isNull();
		assertThat(this.codec.open(predecessor.secret(), predecessor.familyId(), "AAAA")).isNull();
		assertThat(this.codec.open(predecessor.secret(), predecessor.familyId(), "")).isNull();
	}

}
