package dev.tollgate.token.jwt;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AssertionIssuerTests {

	private final SigningKeys keys = SigningKeys.ephemeral(SigningAlgorithm.EdDSA);

	private final AssertionIssuer issuer = new AssertionIssuer(this.keys, "tollgate", Duration.ofSeconds(60),
			TokenFixture.CLOCK);

	@Test
	void issueWhenTokenVerifiedThenSignedIdentityForTheAudienceWithItsOwnType() {
		VerifiedAccessToken token = token(TokenFixture.NOW.plusSeconds(900), "s-1");

		AssertionIssuer.Assertion assertion = this.issuer.issue(token, "orders-service");

		Jws<Claims> parsed = parse(assertion.value());
		assertThat(parsed.getHeader().getType()).isEqualTo("tollgate-assertion+jwt");
		assertThat(parsed.getHeader().getKeyId()).isEqualTo(this.keys.signingKeyId());
		assertThat(parsed.getHeader().getAlgorithm()).isEqualTo("EdDSA");
		Claims claims = parsed.getPayload();
		assertThat(claims.getIssuer()).isEqualTo("tollgate");
		assertThat(claims.getAudience()).containsExactly("orders-service");
		assertThat(claims.getSubject()).isEqualTo("u-1001");
		assertThat(claims.get("roles")).isEqualTo(List.of("user", "admin"));
		assertThat(claims.get("sid")).isEqualTo("s-1");
		assertThat(claims.getId()).isNotBlank();
		assertThat(claims.getIssuedAt().toInstant()).isEqualTo(TokenFixture.NOW);
		assertThat(claims.getExpiration().toInstant()).isEqualTo(TokenFixture.NOW.plusSeconds(60));
		assertThat(assertion.expiresAt()).isEqualTo(TokenFixture.NOW.plusSeconds(60));
		assertThat(assertion.cappedByAccessToken()).isFalse();
	}

	@Test
	void issueWhenTheAccessTokenExpiresSoonerThenTheAssertionExpiresWithIt() {
		Instant tokenExpiry = TokenFixture.NOW.plusSeconds(20);

		AssertionIssuer.Assertion assertion = this.issuer.issue(token(tokenExpiry, null), "api");

		assertThat(assertion.expiresAt()).isEqualTo(tokenExpiry);
		assertThat(assertion.cappedByAccessToken()).isTrue();
		Claims claims = parse(assertion.value()).getPayload();
		assertThat(claims.getExpiration().toInstant()).isEqualTo(tokenExpiry);
		assertThat(claims).doesNotContainKey("sid");
	}

	@Test
	void issueWhenAudienceIsWrittenThenOneStringNotAnArray() {
		String payload = new String(java.util.Base64.getUrlDecoder()
			.decode(this.issuer.issue(token(TokenFixture.NOW.plusSeconds(900), "s-1"), "orders")
				.value()
				.split("\\.")[1]));

		assertThat(payload).contains("\"aud\":\"orders\"");
	}

	@Test
	void issueWhenVerifiedAsAnAccessTokenThenRefusedForItsType() {
		// the same keys as access-token keys: the access check still refuses an assertion
		// by its typ
		AccessTokenVerifier verifier = new AccessTokenVerifier(TokenFixture.SETTINGS, TokenFixture.CACHE, this.keys,
				TokenFixture.CLOCK);
		String assertion = this.issuer.issue(token(TokenFixture.NOW.plusSeconds(900), "s-1"), "api").value();

		org.assertj.core.api.Assertions.assertThatThrownBy(() -> verifier.verify(assertion))
			.hasMessageContaining("wrong token type");
	}

	@Test
	void publicJwksWhenPublishedThenOwnKidUseSigAndNoPrivateMember() {
		List<Map<String, ?>> jwks = this.issuer.publicJwks();

		assertThat(jwks).hasSize(1);
		@SuppressWarnings("unchecked")
		Map<String, Object> jwk = (Map<String, Object>) jwks.get(0);
		assertThat(jwk).containsEntry("kid", this.keys.signingKeyId())
			.containsEntry("use", "sig")
			.containsEntry("alg", "EdDSA")
			.doesNotContainKey("d");
	}

	@Test
	void constructorWhenAnAlgorithmAssertionsDoNotUseThenRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AssertionIssuer(SigningKeys.ephemeral(SigningAlgorithm.RS256), "tollgate",
					Duration.ofSeconds(60), TokenFixture.CLOCK));
	}

	private Jws<Claims> parse(String assertion) {
		PublicKey key = (PublicKey) this.keys.verificationKey(this.keys.signingKeyId());
		return Jwts.parser()
			.verifyWith(key)
			.clock(() -> java.util.Date.from(TokenFixture.NOW))
			.build()
			.parseSignedClaims(assertion);
	}

	private static VerifiedAccessToken token(Instant expiresAt, String sessionId) {
		return new VerifiedAccessToken("u-1001", List.of("user", "admin"), sessionId, expiresAt, null);
	}

}
