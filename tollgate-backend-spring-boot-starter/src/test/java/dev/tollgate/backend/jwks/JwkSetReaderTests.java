package dev.tollgate.backend.jwks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tollgate.backend.support.TestKey;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwkSetReaderTests {

	private final JwkSetReader reader = new JwkSetReader();

	@Test
	void readWhenGatewaySetThenAssertionKeysKeptAndAccessTokenKeysSkipped() {
		TestKey ed = TestKey.ed25519("ed-1");
		TestKey ec = TestKey.es256("ec-1");
		Map<String, Object> rsa = new LinkedHashMap<>(Jwks.builder()
			.key(Jwts.SIG.RS256.keyPair().build().getPublic())
			.id("access-1")
			.publicKeyUse("sig")
			.algorithm("RS256")
			.build());
		Map<String, VerificationKey> keys = this.reader.read(TestKey.jwkSetOf(List.of(rsa, ed.jwk(), ec.jwk())));
		assertThat(keys).containsOnlyKeys("ed-1", "ec-1");
		assertThat(keys.get("ed-1")).isEqualTo(new VerificationKey("ed-1", "EdDSA", ed.keyPair().getPublic()));
		assertThat(keys.get("ec-1")).isEqualTo(new VerificationKey("ec-1", "ES256", ec.keyPair().getPublic()));
	}

	@Test
	void readWhenKeyForEncryptionWithoutKidOrWithOtherAlgorithmThenSkipped() {
		Map<String, Object> encryption = TestKey.ed25519("enc").jwk();
		encryption.put("use", "enc");
		Map<String, Object> noKid = TestKey.ed25519("x").jwk();
		noKid.remove("kid");
		Map<String, Object> otherAlgorithm = TestKey.es256("es384").jwk();
		otherAlgorithm.put("alg", "ES384");
		Map<String, Object> noAlgorithm = TestKey.es256("plain").jwk();
		noAlgorithm.remove("alg");
		noAlgorithm.remove("use");
		assertThat(this.reader.read(TestKey.jwkSetOf(List.of(encryption, noKid, otherAlgorithm, noAlgorithm))))
			.containsOnlyKeys("plain");
	}

	@Test
	void readWhenDuplicateMembersThenRefused() {
		String json = TestKey.jwkSet(TestKey.ed25519("ed-1")).replaceFirst("\\{", "{\"keys\":[],");
		assertThatThrownBy(() -> this.reader.read(json)).isInstanceOf(RuntimeException.class);
	}

}
