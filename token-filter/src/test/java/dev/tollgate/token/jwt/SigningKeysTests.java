package dev.tollgate.token.jwt;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The keys built from key material already read: what each factory accepts and refuses.
 */
class SigningKeysTests {

	@Test
	void sharedSecretWhenShorterThan256BitsThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> SigningKeys.sharedSecret(new byte[31]))
			.withMessageContaining("256 bits");
	}

	@Test
	void sharedSecretWhen256BitsThenHs256WithoutKeyIdsOrJwks() {
		SigningKeys keys = SigningKeys.sharedSecret(new byte[32]);
		assertThat(keys.algorithm()).isEqualTo(SigningAlgorithm.HS256);
		assertThat(keys.isEphemeral()).isFalse();
		assertThat(keys.signingKeyId()).isNull();
		assertThat(keys.keyIds()).isEmpty();
		assertThat(keys.publicJwks()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(SigningAlgorithm.class)
	void ephemeralWhenAnyAlgorithmThenSignsWhatItVerifies(SigningAlgorithm algorithm) {
		TokenFixture fixture = TokenFixture.of(SigningKeys.ephemeral(algorithm));
		assertThat(fixture.keys.isEphemeral()).isTrue();
		assertThat(fixture.keys.keyIds()).hasSize(algorithm.isSymmetric() ? 0 : 1);
		String token = fixture.issuer.issue("u", List.of(), "s").value();
		assertThat(fixture.verifier.verify(token).subject()).isEqualTo("u");
	}

	@Test
	void keyPairsWhenTwoKeysShareAnIdThenRefused() {
		KeyPair first = Jwts.SIG.RS256.keyPair().build();
		KeyPair second = Jwts.SIG.RS256.keyPair().build();
		List<VerificationKey> keys = List.of(VerificationKey.of(SigningAlgorithm.RS256, first.getPublic(), "k"),
				VerificationKey.of(SigningAlgorithm.RS256, second.getPublic(), "k"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SigningKeys.keyPairs(SigningAlgorithm.RS256, first.getPrivate(), keys))
			.withMessageContaining("'k'");
	}

	@Test
	void keyPairsWhenSigningKeyIsNotKeyZerosThenRefused() {
		KeyPair first = Jwts.SIG.ES256.keyPair().build();
		KeyPair other = Jwts.SIG.ES256.keyPair().build();
		List<VerificationKey> keys = List.of(VerificationKey.of(SigningAlgorithm.ES256, first.getPublic(), null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SigningKeys.keyPairs(SigningAlgorithm.ES256, other.getPrivate(), keys))
			.withMessage("the key does not fit ES256");
	}

	@Test
	void keyPairsWhenRsaKeyUnder2048BitsThenRefused() throws NoSuchAlgorithmException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(1024);
		KeyPair weak = generator.generateKeyPair();
		List<VerificationKey> keys = List.of(VerificationKey.of(SigningAlgorithm.RS256, weak.getPublic(), "weak"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SigningKeys.keyPairs(SigningAlgorithm.RS256, weak.getPrivate(), keys))
			.withMessage("the key does not fit RS256");
	}

	@Test
	void keyPairsWhenKeysGivenThenKeyZeroSignsAndAllPublishInOrder() {
		KeyPair current = Jwts.SIG.EdDSA.keyPair().build();
		KeyPair retired = Jwts.SIG.EdDSA.keyPair().build();
		SigningKeys keys = SigningKeys.keyPairs(SigningAlgorithm.EdDSA, current.getPrivate(),
				List.of(VerificationKey.of(SigningAlgorithm.EdDSA, current.getPublic(), "new"),
						VerificationKey.of(SigningAlgorithm.EdDSA, retired.getPublic(), "old")));
		assertThat(keys.signingKeyId()).isEqualTo("new");
		assertThat(keys.keyIds()).containsExactly("new", "old");
		assertThat(keys.publicJwks().stream().map((jwk) -> (Object) jwk.get("kid")).toList()).containsExactly("new",
				"old");
		assertThat(keys.isEphemeral()).isFalse();
	}

}
