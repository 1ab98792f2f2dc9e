package dev.tollgate.token.autoconfigure;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.tollgate.token.autoconfigure.TokenProperties.Key;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.jwt.SigningAlgorithm;
import dev.tollgate.token.jwt.SigningKeys;
import dev.tollgate.token.jwt.TokenFixture;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import io.jsonwebtoken.security.Jwks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

import static dev.tollgate.token.jwt.TokenFixture.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Keys read from {@code tollgate.signing}: what loads, what each key does, and the
 * message of every refusal.
 */
class SigningKeysLoaderTests {

	private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

	@TempDir
	Path dir;

	private static KeyPair generate(SigningAlgorithm algorithm) {
		return switch (algorithm) {
			case RS256 -> Pem.generate("RSA", 2048);
			case ES256 -> Pem.generate("EC", new ECGenParameterSpec("secp256r1"));
			case EdDSA -> Pem.generate("Ed25519");
			case HS256 -> throw new IllegalArgumentException("symmetric");
		};
	}

	private static SigningKeys load(SigningAlgorithm algorithm, Key... keys) {
		return SigningKeysLoader.load(new TokenProperties.Signing(algorithm.id(), null, List.of(keys), false));
	}

	private static TollgateConfigurationException refused(SigningAlgorithm algorithm, String secret, Key... keys) {
		return org.assertj.core.api.Assertions.catchThrowableOfType(TollgateConfigurationException.class,
				() -> SigningKeysLoader
					.load(new TokenProperties.Signing(algorithm.id(), secret, List.of(keys), false)));
	}

	private static String thumbprint(PublicKey key) {
		return Jwks.builder().key(key).idFromThumbprint().build().getId();
	}

	private static String signedBy(SigningAlgorithm algorithm, String kid, java.security.Key key) {
		Map<String, Object> header = TokenFixture.with(Map.of("alg", algorithm.id(), "typ", "at+jwt"), "kid", kid);
		return TokenFixture.signed(header, claims(), algorithm.id(), key);
	}

	@Test
	void loadWhenPemFileAlsoHoldsOtherBlocksThenTheKeyBlockIsUsed() {
		KeyPair pair = generate(SigningAlgorithm.RS256);
		String text = Pem.block("CERTIFICATE", new byte[] { 1, 2, 3 })
				+ Pem.block("PUBLIC KEY", pair.getPublic().getEncoded())
				+ Pem.block("PRIVATE KEY", pair.getPrivate().getEncoded());
		SigningKeys keys = load(SigningAlgorithm.RS256, new Key(null, Pem.write(this.dir, "bundle.pem", text), null));
		assertThat(keys.signingKeyId()).isEqualTo(thumbprint(pair.getPublic()));
	}

	@ParameterizedTest
	@EnumSource(value = SigningAlgorithm.class, names = { "RS256", "ES256", "EdDSA" })
	void loadWhenPkcs8PemThenKeyIdIsThumbprintAndTokensVerify(SigningAlgorithm algorithm) {
		KeyPair pair = generate(algorithm);
		SigningKeys keys = load(algorithm, new Key(null, Pem.privateKey(this.dir, "k.pem", pair), null));
		assertThat(keys.isEphemeral()).isFalse();
		assertThat(keys.algorithm()).isEqualTo(algorithm);
		assertThat(keys.signingKeyId()).isEqualTo(thumbprint(pair.getPublic()));
		TokenFixture fixture = TokenFixture.of(keys);
		String token = fixture.issuer.issue("user-1", List.of("a"), "s").value();
		assertThat(fixture.verifier.verify(token).subject()).isEqualTo("user-1");
		// and the token was signed by exactly the key in the file
		assertThat(fixture.verifier.verify(signedBy(algorithm, keys.signingKeyId(), pair.getPrivate())).subject())
			.isEqualTo("user-42");
	}

	@Test
	void loadWhenIdConfiguredThenItIsTheKid() {
		KeyPair pair = generate(SigningAlgorithm.RS256);
		SigningKeys keys = load(SigningAlgorithm.RS256,
				new Key("2026-03", Pem.privateKey(this.dir, "k.pem", pair), null));
		assertThat(keys.signingKeyId()).isEqualTo("2026-03");
		assertThat(keys.publicJwks()).singleElement()
			.satisfies((jwk) -> assertThat(jwk.get("kid")).isEqualTo("2026-03"));
	}

	@ParameterizedTest
	@EnumSource(value = SigningAlgorithm.class, names = { "RS256", "ES256", "EdDSA" })
	void loadWhenTwoPrivateKeysThenKeyZeroSignsAndKeyOneVerifies(SigningAlgorithm algorithm) {
		KeyPair first = generate(algorithm);
		KeyPair second = generate(algorithm);
		SigningKeys keys = load(algorithm, new Key("new", Pem.privateKey(this.dir, "new.pem", first), null),
				new Key("old", Pem.privateKey(this.dir, "old.pem", second), null));
		assertThat(keys.signingKeyId()).isEqualTo("new");
		assertThat(TokenFixture.signingKey(keys)).isEqualTo(first.getPrivate());
		TokenFixture fixture = TokenFixture.of(keys);
		assertThat(fixture.verifier.verify(signedBy(algorithm, "old", second.getPrivate())).subject())
			.isEqualTo("user-42");
		// each kid selects its own key: the old key's signature under the new kid fails
		assertThatExceptionOfType(TollgateErrorException.class)
			.isThrownBy(() -> fixture.verifier.verify(signedBy(algorithm, "new", second.getPrivate())))
			.satisfies((ex) -> assertThat(ex.error().description()).isEqualTo("invalid signature"));
	}

	@ParameterizedTest
	@EnumSource(value = SigningAlgorithm.class, names = { "RS256", "ES256", "EdDSA" })
	void loadWhenKeyOneIsPublicKeyOnlyThenItsKidIsAccepted(SigningAlgorithm algorithm) {
		KeyPair current = generate(algorithm);
		KeyPair retired = generate(algorithm);
		SigningKeys keys = load(algorithm, new Key(null, Pem.privateKey(this.dir, "current.pem", current), null),
				new Key(null, null, Pem.publicKey(this.dir, "retired.pub.pem", retired)));
		String retiredKid = thumbprint(retired.getPublic());
		assertThat(keys.publicJwks().stream().map((jwk) -> (Object) jwk.get("kid")).toList())
			.containsExactly(keys.signingKeyId(), retiredKid);
		VerifiedAccessToken verified = TokenFixture.of(keys).verifier
			.verify(signedBy(algorithm, retiredKid, retired.getPrivate()));
		assertThat(verified.subject()).isEqualTo("user-42");
	}

	@Test
	void loadWhenNewKeyPrependedThenTokensOfOldKeyStillVerify() {
		KeyPair old = generate(SigningAlgorithm.RS256);
		KeyPair rotated = generate(SigningAlgorithm.RS256);
		Resource oldPem = Pem.privateKey(this.dir, "old.pem", old);
		TokenFixture before = TokenFixture.of(load(SigningAlgorithm.RS256, new Key(null, oldPem, null)));
		String issuedBefore = before.issuer.issue("user-1", List.of(), "s").value();

		TokenFixture during = TokenFixture.of(load(SigningAlgorithm.RS256,
				new Key(null, Pem.privateKey(this.dir, "new.pem", rotated), null), new Key(null, oldPem, null)));
		assertThat(during.verifier.verify(issuedBefore).subject()).isEqualTo("user-1");
		String issuedDuring = during.issuer.issue("user-2", List.of(), "s").value();
		assertThat(during.keys.signingKeyId()).isEqualTo(thumbprint(rotated.getPublic()));
		assertThat(before.verifier.verify(issuedBefore).subject()).isEqualTo("user-1");

		TokenFixture after = TokenFixture
			.of(load(SigningAlgorithm.RS256, new Key(null, Pem.privateKey(this.dir, "new2.pem", rotated), null)));
		assertThat(after.verifier.verify(issuedDuring).subject()).isEqualTo("user-2");
		assertThatExceptionOfType(TollgateErrorException.class).isThrownBy(() -> after.verifier.verify(issuedBefore))
			.satisfies((ex) -> assertThat(ex.error().description()).isEqualTo("unknown key id"));
	}

	@ParameterizedTest
	@EnumSource(value = SigningAlgorithm.class, names = { "RS256", "ES256", "EdDSA" })
	void loadWhenNothingConfiguredThenEphemeralKeyPair(SigningAlgorithm algorithm) {
		SigningKeys keys = load(algorithm);
		assertThat(keys.isEphemeral()).isTrue();
		assertThat(keys.signingKeyId()).isNotBlank();
		assertThat(keys.publicJwks()).singleElement()
			.satisfies((jwk) -> assertThat(jwk.get("kid")).isEqualTo(keys.signingKeyId()));
		TokenFixture fixture = TokenFixture.of(keys);
		assertThat(fixture.verifier.verify(fixture.issuer.issue("u", List.of(), "s").value()).subject()).isEqualTo("u");
	}

	@Test
	void loadWhenEdDsaWithoutKeyThenEphemeralKeyIsEd25519() {
		assertThat(load(SigningAlgorithm.EdDSA).publicJwks()).singleElement()
			.satisfies((jwk) -> assertThat(jwk.get("crv")).isEqualTo("Ed25519"));
	}

	@Test
	void loadWhenHs256WithoutSecretThenEphemeralSecretAndNoJwks() {
		SigningKeys keys = SigningKeysLoader.load(new TokenProperties.Signing("HS256", null, null, false));
		assertThat(keys.isEphemeral()).isTrue();
		assertThat(keys.signingKeyId()).isNull();
		assertThat(keys.publicJwks()).isEmpty();
		assertThat(TokenFixture.signingKey(keys).getEncoded()).hasSizeGreaterThanOrEqualTo(32);
	}

	@Test
	void loadWhenHs256SecretThenSignsWithItAndPublishesNothing() {
		SigningKeys keys = SigningKeysLoader
			.load(new TokenProperties.Signing("HS256", TokenFixture.SECRET, null, false));
		assertThat(keys.isEphemeral()).isFalse();
		assertThat(keys.publicJwks()).isEmpty();
		assertThat(TokenFixture.signingKey(keys).getEncoded())
			.isEqualTo(Base64.getDecoder().decode(TokenFixture.SECRET));
	}

	@ParameterizedTest
	@EnumSource(value = SigningAlgorithm.class, names = { "RS256", "ES256", "EdDSA" })
	void publicJwksWhenPrivateKeysConfiguredThenOnlyPublicMembers(SigningAlgorithm algorithm) {
		SigningKeys keys = load(algorithm, new Key(null, Pem.privateKey(this.dir, "a.pem", generate(algorithm)), null),
				new Key(null, Pem.privateKey(this.dir, "b.pem", generate(algorithm)), null));
		assertThat(keys.publicJwks()).hasSize(2).allSatisfy((jwk) -> {
			assertThat(jwk).doesNotContainKeys(PRIVATE_MEMBERS.toArray(String[]::new));
			assertThat(jwk.get("use")).isEqualTo("sig");
			assertThat(jwk.get("alg")).isEqualTo(algorithm.id());
			assertThat(jwk.get("kid")).isNotNull();
			assertThat(jwk.get("kty")).isIn("RSA", "EC", "OKP");
		});
	}

	@Test
	void publicJwksWhenEphemeralRsaThenOnlyPublicMembers() {
		assertThat(load(SigningAlgorithm.RS256).publicJwks()).singleElement()
			.satisfies(
					(jwk) -> assertThat(jwk.keySet()).containsExactlyInAnyOrder("kty", "n", "e", "kid", "alg", "use"));
	}

	@Test
	void loadWhenKeyZeroHasNoPrivateKeyThenRefused() {
		KeyPair pair = generate(SigningAlgorithm.RS256);
		TollgateConfigurationException ex = refused(SigningAlgorithm.RS256, null,
				new Key(null, null, Pem.publicKey(this.dir, "pub.pem", pair)));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys[0].private-key");
		assertThat(ex.problem()).isEqualTo("is missing");
		assertThat(ex.fix()).contains("PKCS#8");
	}

	@Test
	void loadWhenPemUnreadableThenRefused() {
		TollgateConfigurationException ex = refused(SigningAlgorithm.RS256, null,
				new Key(null, new FileSystemResource(this.dir.resolve("missing.pem")), null));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys[0].private-key");
		assertThat(ex.problem()).startsWith("cannot be read").contains("missing.pem");
	}

	@Test
	void loadWhenSecondKeyUnreadableThenNamesThatKey() {
		KeyPair pair = generate(SigningAlgorithm.RS256);
		TollgateConfigurationException ex = refused(SigningAlgorithm.RS256, null,
				new Key(null, Pem.privateKey(this.dir, "a.pem", pair), null),
				new Key(null, null, new FileSystemResource(this.dir.resolve("gone.pub.pem"))));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys[1].public-key");
		assertThat(ex.problem()).startsWith("cannot be read");
	}

	@Test
	void loadWhenFileIsNotPemThenRefused() {
		TollgateConfigurationException ex = refused(SigningAlgorithm.RS256, null,
				new Key(null, Pem.write(this.dir, "k.pem", "not a key"), null));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys[0].private-key");
		assertThat(ex.problem()).isEqualTo("holds no 'PRIVATE KEY' PEM block");
	}

	@Test
	void loadWhenPkcs1RsaPrivateKeyThenRefusedWithPkcs8Hint() {
		byte[] pkcs8 = generate(SigningAlgorithm.RS256).getPrivate().getEncoded();
		// a 2048-bit PKCS#8 RSA key wraps the PKCS#1 RSAPrivateKey in an OCTET STRING at
		// offset 22
		assertThat(Arrays.copyOfRange(pkcs8, 22, 24)).containsExactly(0x04, 0x82);
		byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
		assertThat(pkcs1[0]).isEqualTo((byte) 0x30);
		TollgateConfigurationException ex = refused(SigningAlgorithm.RS256, null,
				new Key(null, Pem.write(this.dir, "rsa.pem", Pem.block("RSA PRIVATE KEY", pkcs1)), null));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys[0].private-key");
		assertThat(ex.problem()).isEqualTo("holds no 'PRIVATE KEY' PEM block");
		assertThat(ex.fix()).contains("openssl pkcs8 -topk8");
	}

	@Test
	void loadWhenPublicKeyGivenAsPrivateKeyThenRefused() {
		TollgateConfigurationException ex = refused(SigningAlgorithm.RS256, null,
				new Key(null, Pem.publicKey(this.dir, "pub.pem", generate(SigningAlgorithm.RS256)), null));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys[0].private-key");
		assertThat(ex.problem()).isEqualTo("holds no 'PRIVATE KEY' PEM block");
	}

	@Test
	void loadWhenEcKeyWithRs256ThenRefused() {
		TollgateConfigurationException ex = refused(SigningAlgorithm.RS256, null,
				new Key(null, Pem.privateKey(this.dir, "ec.pem", generate(SigningAlgorithm.ES256)), null));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys[0].private-key");
		assertThat(ex.problem()).isEqualTo("is not a RSA key");
		assertThat(ex.fix()).contains("RS256").contains("tollgate.signing.algorithm");
	}

	@Test
	void loadWhenRsaKeyWithEs256ThenRefused() {
		TollgateConfigurationException ex = refused(SigningAlgorithm.ES256, null,
				new Key(null, Pem.privateKey(this.dir, "rsa.pem", generate(SigningAlgorithm.RS256)), null));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys[0].private-key");
		assertThat(ex.problem()).isEqualTo("is not a EC key");
	}

	@Test
	void loadWhenRsaPublicKeyWithEdDsaThenRefused() {
		TollgateConfigurationException ex = refused(SigningAlgorithm.EdDSA, null,
				new Key(null, Pem.privateKey(this.dir, "ed.pem", generate(SigningAlgorithm.EdDSA)), null),
				new Key(null, null, Pem.publicKey(this.dir, "rsa.pub.pem", generate(SigningAlgorithm.RS256))));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys[1].public-key");
		assertThat(ex.problem()).isEqualTo("is not a Ed25519 key");
	}

	@Test
	void loadWhenRsaKeyUnder2048BitsThenRefused() {
		TollgateConfigurationException ex = refused(SigningAlgorithm.RS256, null,
				new Key(null, Pem.privateKey(this.dir, "weak.pem", Pem.generate("RSA", 1024)), null));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys[0].private-key");
		assertThat(ex.problem()).isEqualTo("does not fit RS256");
		assertThat(ex.fix()).contains("2048");
	}

	@Test
	void loadWhenEcKeyOnWrongCurveThenRefused() {
		KeyPair p384 = Pem.generate("EC", new ECGenParameterSpec("secp384r1"));
		TollgateConfigurationException ex = refused(SigningAlgorithm.ES256, null,
				new Key(null, Pem.privateKey(this.dir, "p384.pem", p384), null));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys[0].private-key");
		assertThat(ex.problem()).isEqualTo("does not fit ES256");
	}

	@Test
	void loadWhenTwoKeysShareAnIdThenRefused() {
		TollgateConfigurationException ex = refused(SigningAlgorithm.RS256, null,
				new Key("k", Pem.privateKey(this.dir, "a.pem", generate(SigningAlgorithm.RS256)), null),
				new Key("k", Pem.privateKey(this.dir, "b.pem", generate(SigningAlgorithm.RS256)), null));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys[1].id");
		assertThat(ex.problem()).contains("'k'");
	}

	@Test
	void loadWhenSecretWithRs256ThenRefused() {
		TollgateConfigurationException ex = refused(SigningAlgorithm.RS256, TokenFixture.SECRET);
		assertThat(ex.key()).isEqualTo("tollgate.signing.secret");
		assertThat(ex.problem()).isEqualTo("is set but RS256 uses key pairs");
	}

	@Test
	void loadWhenKeysWithHs256ThenRefused() {
		TollgateConfigurationException ex = refused(SigningAlgorithm.HS256, TokenFixture.SECRET,
				new Key(null, Pem.privateKey(this.dir, "a.pem", generate(SigningAlgorithm.RS256)), null));
		assertThat(ex.key()).isEqualTo("tollgate.signing.keys");
		assertThat(ex.fix()).contains("tollgate.signing.secret");
	}

}
