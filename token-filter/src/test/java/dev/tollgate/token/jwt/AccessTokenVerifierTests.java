package dev.tollgate.token.jwt;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.tollgate.token.error.TollgateErrorException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpStatus;

import static dev.tollgate.token.jwt.TokenFixture.NOW;
import static dev.tollgate.token.jwt.TokenFixture.b64;
import static dev.tollgate.token.jwt.TokenFixture.claims;
import static dev.tollgate.token.jwt.TokenFixture.json;
import static dev.tollgate.token.jwt.TokenFixture.signed;
import static dev.tollgate.token.jwt.TokenFixture.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The attacks of RFC 8725 and the OWASP JWT cheat sheet, each forged by hand and each
 * expected to be refused with its own description.
 */
class AccessTokenVerifierTests {

	private static final TokenFixture RS256 = TokenFixture.of(SigningAlgorithm.RS256);

	private static final TokenFixture ES256 = TokenFixture.of(SigningAlgorithm.ES256);

	private static final TokenFixture EDDSA = TokenFixture.of(SigningAlgorithm.EdDSA);

	private static final TokenFixture HS256 = TokenFixture.of(SigningAlgorithm.HS256);

	private static final KeyPair ATTACKER_RSA = Jwts.SIG.RS256.keyPair().build();

	private static TokenFixture fixture(SigningAlgorithm algorithm) {
		return switch (algorithm) {
			case RS256 -> RS256;
			case ES256 -> ES256;
			case EdDSA -> EDDSA;
			case HS256 -> HS256;
		};
	}

	private static void assertRejected(TokenFixture fixture, String token, String description) {
		assertThatExceptionOfType(TollgateErrorException.class).isThrownBy(() -> fixture.verifier.verify(token))
			.satisfies((ex) -> {
				assertThat(ex.error().code()).isEqualTo("invalid_token");
				assertThat(ex.error().status()).isEqualTo(HttpStatus.UNAUTHORIZED);
				assertThat(ex.error().description()).isEqualTo(description);
				// carried verbatim in WWW-Authenticate: printable ASCII, no quote, no
				// backslash
				assertThat(ex.error().description()).matches("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]+");
			});
	}

	private static void assertRejected(String token, String description) {
		assertRejected(RS256, token, description);
	}

	private static String rs256(Map<String, Object> header, Map<String, Object> claims) {
		return RS256.token(header, claims);
	}

	private static String withClaim(String name, Object value) {
		return rs256(RS256.header(), with(claims(), name, value));
	}

	private static String withHeader(String name, Object value) {
		return rs256(with(RS256.header(), name, value), claims());
	}

	// ---- valid tokens, every algorithm

	@ParameterizedTest
	@EnumSource(SigningAlgorithm.class)
	void verifyWhenTokenValidThenReturnsIdentity(SigningAlgorithm algorithm) {
		TokenFixture fixture = fixture(algorithm);
		VerifiedAccessToken verified = fixture.verifier.verify(fixture.token(fixture.header(), claims()));
		assertThat(verified.subject()).isEqualTo("user-42");
		assertThat(verified.roles()).containsExactly("admin", "ops");
		assertThat(verified.sessionId()).isEqualTo("family-7");
		assertThat(verified.expiresAt()).isEqualTo(NOW.plusSeconds(900));
	}

	@ParameterizedTest
	@EnumSource(SigningAlgorithm.class)
	void verifyWhenIssuedByIssuerThenAccepted(SigningAlgorithm algorithm) {
		TokenFixture fixture = fixture(algorithm);
		AccessTokenIssuer.IssuedAccessToken issued = fixture.issuer.issue("user-1", List.of("user"), "fam-1");
		VerifiedAccessToken verified = fixture.verifier.verify(issued.value());
		assertThat(verified.subject()).isEqualTo("user-1");
		assertThat(verified.roles()).containsExactly("user");
		assertThat(verified.sessionId()).isEqualTo("fam-1");
		assertThat(verified.expiresAt()).isEqualTo(NOW.plusSeconds(900)).isEqualTo(issued.expiresAt());
	}

	@ParameterizedTest
	@EnumSource(SigningAlgorithm.class)
	void verifyWhenIssuedBoundToAKeyThenCarriesItsThumbprint(SigningAlgorithm algorithm) {
		TokenFixture fixture = fixture(algorithm);
		String jkt = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
		VerifiedAccessToken verified = fixture.verifier
			.verify(fixture.issuer.issue("user-1", List.of("user"), "fam-1", jkt).value());
		assertThat(verified.keyThumbprint()).isEqualTo(jkt);
		assertThat(verified.subject()).isEqualTo("user-1");
		assertThat(fixture.verifier.verify(fixture.issuer.issue("user-1", List.of("user"), "fam-1", null).value())
			.keyThumbprint()).isNull();
	}

	@Test
	void issueWhenThumbprintMalformedThenRefused() {
		TokenFixture fixture = fixture(SigningAlgorithm.ES256);
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> fixture.issuer.issue("user-1", List.of(), "fam-1", "not-a-thumbprint"));
	}

	@Test
	void verifyWhenHeaderAlreadyAcceptedThenEveryOtherCheckStillRuns() {
		String valid = rs256(RS256.header(), claims());
		RS256.verifier.verify(valid);
		String[] parts = valid.split("\\.");
		String tampered = parts[0] + "." + b64(json(with(claims(), "roles", List.of("root")))) + "." + parts[2];
		assertRejected(tampered, "invalid signature");
		assertRejected(rs256(RS256.header(), with(claims(), "exp", NOW.minusSeconds(3600).getEpochSecond())),
				"token expired");
	}

	@ParameterizedTest
	@EnumSource(SigningAlgorithm.class)
	void verifyWhenSignatureHasNonCanonicalTrailingBitsThenMalformed(SigningAlgorithm algorithm) {
		TokenFixture fixture = fixture(algorithm);
		String valid = fixture.token(fixture.header(), claims());
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		char last = valid.charAt(valid.length() - 1);
		int unused = switch (valid.substring(valid.lastIndexOf('.') + 1).length() % 4) {
			case 2 -> 4;
			case 3 -> 2;
			default -> 0;
		};
		assertThat(unused).as("every supported signature length leaves unused bits").isPositive();
		// same decoded bytes, another spelling: set the lowest unused bit
		String respelled = valid.substring(0, valid.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 1);
		assertRejected(fixture, respelled, "malformed token");
	}

	@Test
	void verifyWhenNoRolesClaimThenNoRoles() {
		assertThat(RS256.verifier.verify(withClaim("roles", null)).roles()).isEmpty();
	}

	@Test
	void verifyWhenAudienceIsArrayContainingOursThenAccepted() {
		assertThat(RS256.verifier.verify(withClaim("aud", List.of("other", "api"))).subject()).isEqualTo("user-42");
	}

	// ---- tampering, every algorithm

	@ParameterizedTest
	@EnumSource(SigningAlgorithm.class)
	void verifyWhenPayloadTamperedThenInvalidSignature(SigningAlgorithm algorithm) {
		TokenFixture fixture = fixture(algorithm);
		String original = fixture.token(fixture.header(), with(claims(), "roles", List.of("user")));
		String[] parts = original.split("\\.");
		String forged = parts[0] + "." + b64(json(with(claims(), "roles", List.of("admin")))) + "." + parts[2];
		assertRejected(fixture, forged, "invalid signature");
	}

	@ParameterizedTest
	@EnumSource(SigningAlgorithm.class)
	void verifyWhenSignatureOfAnotherTokenThenInvalidSignature(SigningAlgorithm algorithm) {
		TokenFixture fixture = fixture(algorithm);
		String mine = fixture.token(fixture.header(), with(claims(), "sub", "user-1"));
		String other = fixture.token(fixture.header(), with(claims(), "sub", "admin"));
		String forged = other.substring(0, other.lastIndexOf('.')) + mine.substring(mine.lastIndexOf('.'));
		assertRejected(fixture, forged, "invalid signature");
	}

	@ParameterizedTest
	@EnumSource(SigningAlgorithm.class)
	void verifyWhenSignatureStrippedThenInvalidSignature(SigningAlgorithm algorithm) {
		TokenFixture fixture = fixture(algorithm);
		String token = fixture.token(fixture.header(), claims());
		assertRejected(fixture, token.substring(0, token.lastIndexOf('.') + 1), "invalid signature");
	}

	@ParameterizedTest
	@EnumSource(SigningAlgorithm.class)
	void verifyWhenSignatureTruncatedThenInvalidSignature(SigningAlgorithm algorithm) {
		TokenFixture fixture = fixture(algorithm);
		String token = fixture.token(fixture.header(), claims());
		// four base64url characters are three whole bytes: the rest still decodes
		assertRejected(fixture, token.substring(0, token.length() - 4), "invalid signature");
	}

	@ParameterizedTest
	@EnumSource(SigningAlgorithm.class)
	void verifyWhenSignedByAnotherKeyOfSameAlgorithmThenInvalidSignature(SigningAlgorithm algorithm) {
		TokenFixture fixture = fixture(algorithm);
		TokenFixture stranger = TokenFixture
			.of(algorithm.isSymmetric() ? SigningKeys.sharedSecret(new byte[32]) : SigningKeys.ephemeral(algorithm));
		// same header, kid included, so only the signature can tell them apart
		String forged = signed(fixture.header(), claims(), algorithm.id(), stranger.keys.signingKey());
		assertRejected(fixture, forged, "invalid signature");
	}

	@ParameterizedTest
	@EnumSource(SigningAlgorithm.class)
	void verifyWhenSignedWithOtherAlgorithmThenAlgorithmNotAccepted(SigningAlgorithm configured) {
		TokenFixture fixture = fixture(configured);
		for (SigningAlgorithm other : SigningAlgorithm.values()) {
			if (other != configured) {
				TokenFixture signer = fixture(other);
				String forged = signed(with(fixture.header(), "alg", other.id()), claims(), other.id(),
						signer.keys.signingKey());
				assertRejected(fixture, forged, "algorithm not accepted");
			}
		}
	}

	// ---- alg: none

	@ParameterizedTest
	@ValueSource(strings = { "none", "None", "NONE", "nOnE" })
	void verifyWhenAlgNoneWithoutSignatureThenAlgorithmNotAccepted(String none) {
		String header = b64(json(with(RS256.header(), "alg", none)));
		assertRejected(header + "." + b64(json(claims())) + ".", "algorithm not accepted");
	}

	@ParameterizedTest
	@ValueSource(strings = { "none", "None", "NONE", "nOnE" })
	void verifyWhenAlgNoneWithSignatureThenAlgorithmNotAccepted(String none) {
		String valid = rs256(RS256.header(), claims());
		String header = b64(json(with(RS256.header(), "alg", none)));
		String forged = header + "." + b64(json(claims())) + valid.substring(valid.lastIndexOf('.'));
		assertRejected(forged, "algorithm not accepted");
	}

	@ParameterizedTest
	@EnumSource(value = SigningAlgorithm.class, names = { "ES256", "EdDSA", "HS256" })
	void verifyWhenAlgNoneOnOtherAlgorithmsThenAlgorithmNotAccepted(SigningAlgorithm algorithm) {
		TokenFixture fixture = fixture(algorithm);
		String header = b64(json(with(fixture.header(), "alg", "none")));
		assertRejected(fixture, header + "." + b64(json(claims())) + ".", "algorithm not accepted");
	}

	@Test
	void verifyWhenAlgMissingThenAlgorithmNotAccepted() {
		assertRejected(withHeader("alg", null), "algorithm not accepted");
	}

	@Test
	void verifyWhenAlgDiffersOnlyInCaseThenAlgorithmNotAccepted() {
		assertRejected(withHeader("alg", "rs256"), "algorithm not accepted");
	}

	// ---- algorithm confusion (RFC 8725 §2.1)

	@Test
	void verifyWhenHs256KeyedWithPublicKeyDerThenAlgorithmNotAccepted() {
		PublicKey publicKey = (PublicKey) RS256.keys.verificationKey(RS256.keys.signingKeyId());
		String forged = signed(with(RS256.header(), "alg", "HS256"), claims(), "HS256",
				TokenFixture.hmacKey(publicKey.getEncoded()));
		assertRejected(forged, "algorithm not accepted");
	}

	@Test
	void verifyWhenHs256KeyedWithPublicKeyPemThenAlgorithmNotAccepted() {
		PublicKey publicKey = (PublicKey) RS256.keys.verificationKey(RS256.keys.signingKeyId());
		String pem = "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
					.encodeToString(publicKey.getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
		for (String variant : List.of(pem, pem.trim())) {
			String forged = signed(with(RS256.header(), "alg", "HS256"), claims(), "HS256",
					TokenFixture.hmacKey(variant.getBytes(StandardCharsets.US_ASCII)));
			assertRejected(forged, "algorithm not accepted");
		}
	}

	@Test
	void verifyWhenRs256TokenAndEs256ConfiguredThenAlgorithmNotAccepted() {
		String forged = signed(with(ES256.header(), "alg", "RS256"), claims(), "RS256", ATTACKER_RSA.getPrivate());
		assertRejected(ES256, forged, "algorithm not accepted");
	}

	// ---- keys and key URLs in the header (RFC 8725 §3.10)

	@Test
	void verifyWhenEmbeddedJwkWithAttackerKeyThenRejected() {
		Map<String, ?> jwk = Jwks.builder()
			.key((java.security.interfaces.RSAPublicKey) ATTACKER_RSA.getPublic())
			.idFromThumbprint()
			.build();
		// our own kid too: the embedded key must not win over it
		String forged = signed(with(RS256.header(), "jwk", jwk), claims(), "RS256", ATTACKER_RSA.getPrivate());
		assertRejected(forged, "header parameter jwk not accepted");
	}

	@ParameterizedTest
	@ValueSource(strings = { "jku", "x5u" })
	void verifyWhenKeyUrlHeaderThenRejected(String name) {
		String forged = signed(with(RS256.header(), name, "https://attacker.example/keys.json"), claims(), "RS256",
				ATTACKER_RSA.getPrivate());
		assertRejected(forged, "header parameter " + name + " not accepted");
	}

	@Test
	void verifyWhenX5cHeaderThenRejected() {
		String forged = signed(with(RS256.header(), "x5c", List.of("MIIBszCCAVmgAwIBAgIUQ3d4")), claims(), "RS256",
				ATTACKER_RSA.getPrivate());
		assertRejected(forged, "header parameter x5c not accepted");
	}

	@Test
	void verifyWhenX5cHeaderSignedWithOurKeyThenStillRejected() {
		assertRejected(withHeader("x5c", List.of("MIIBszCCAVmgAwIBAgIUQ3d4")), "header parameter x5c not accepted");
	}

	// ---- kid (RFC 8725 §3.10)

	@ParameterizedTest
	@ValueSource(strings = { "unknown", "../../dev/null", "/dev/null", "' OR '1'='1", "x'; DROP TABLE keys; --", "" })
	void verifyWhenKidUnknownThenUnknownKeyId(String kid) {
		assertRejected(withHeader("kid", kid), "unknown key id");
	}

	@Test
	void verifyWhenKidMissingAndKeysHaveIdsThenUnknownKeyId() {
		assertRejected(withHeader("kid", null), "unknown key id");
	}

	@Test
	void verifyWhenKidNotStringThenMalformed() {
		assertRejected(withHeader("kid", 7), "malformed token");
	}

	@Test
	void verifyWhenKidGivenUnderHs256ThenUnknownKeyId() {
		assertRejected(HS256, HS256.token(with(HS256.header(), "kid", "k1"), claims()), "unknown key id");
	}

	// ---- other header parameters

	@Test
	void verifyWhenCritUnsupportedThenRejected() {
		Map<String, Object> header = with(with(RS256.header(), "crit", List.of("urn:example:foo")), "urn:example:foo",
				1);
		assertRejected(rs256(header, claims()), "header parameter crit not accepted");
	}

	@Test
	void verifyWhenCritNamesB64ThenRejected() {
		Map<String, Object> header = with(with(RS256.header(), "crit", List.of("b64")), "b64", false);
		assertRejected(rs256(header, claims()), "header parameter crit not accepted");
	}

	@Test
	void verifyWhenZipHeaderThenRejected() {
		assertRejected(withHeader("zip", "DEF"), "header parameter zip not accepted");
	}

	@ParameterizedTest
	@ValueSource(strings = { "JWT", "jwt", "at+jwt ", "application/jwt", "at+jwt; q=1" })
	void verifyWhenTypWrongThenWrongTokenType(String typ) {
		assertRejected(withHeader("typ", typ), "wrong token type");
	}

	@Test
	void verifyWhenTypMissingThenWrongTokenType() {
		assertRejected(withHeader("typ", null), "wrong token type");
	}

	@Test
	void verifyWhenTypNotStringThenWrongTokenType() {
		assertRejected(withHeader("typ", List.of("at+jwt")), "wrong token type");
	}

	@ParameterizedTest
	@ValueSource(strings = { "at+jwt", "application/at+jwt", "AT+JWT", "Application/At+Jwt" })
	void verifyWhenTypIsAccessTokenTypeThenAccepted(String typ) {
		assertThat(RS256.verifier.verify(withHeader("typ", typ)).subject()).isEqualTo("user-42");
	}

	// ---- time claims

	@Test
	void verifyWhenExpiredBeyondSkewThenTokenExpired() {
		assertRejected(withClaim("exp", NOW.minusSeconds(31).getEpochSecond()), "token expired");
	}

	@Test
	void verifyWhenExpiredWithinSkewThenAccepted() {
		assertThat(RS256.verifier.verify(withClaim("exp", NOW.minusSeconds(30).getEpochSecond())).expiresAt())
			.isEqualTo(NOW.minusSeconds(30));
	}

	@Test
	void verifyWhenNotBeforeInFutureThenTokenNotYetValid() {
		assertRejected(withClaim("nbf", NOW.plusSeconds(31).getEpochSecond()), "token not yet valid");
	}

	@Test
	void verifyWhenNotBeforeWithinSkewThenAccepted() {
		assertThat(RS256.verifier.verify(withClaim("nbf", NOW.plusSeconds(30).getEpochSecond())).subject())
			.isEqualTo("user-42");
	}

	@Test
	void verifyWhenIssuedInFutureThenRejected() {
		assertRejected(withClaim("iat", NOW.plusSeconds(31).getEpochSecond()), "token issued in the future");
	}

	@Test
	void verifyWhenIssuedInFutureWithinSkewThenAccepted() {
		assertThat(RS256.verifier.verify(withClaim("iat", NOW.plusSeconds(30).getEpochSecond())).subject())
			.isEqualTo("user-42");
	}

	@Test
	void verifyWhenExpMissingThenRejected() {
		assertRejected(withClaim("exp", null), "missing exp claim");
	}

	@Test
	void verifyWhenIatMissingThenRejected() {
		assertRejected(withClaim("iat", null), "missing iat claim");
	}

	@ParameterizedTest
	@ValueSource(strings = { "exp", "nbf", "iat" })
	void verifyWhenNumericDateIsStringThenMalformed(String name) {
		assertRejected(withClaim(name, "9999999999"), "malformed token");
	}

	@Test
	void verifyWhenExpIsIsoStringThenMalformed() {
		assertRejected(withClaim("exp", "2099-01-01T00:00:00Z"), "malformed token");
	}

	// ---- iss, aud, jti, sid

	@Test
	void verifyWhenIssuerWrongThenInvalidIss() {
		assertRejected(withClaim("iss", "https://attacker.example"), "invalid iss claim");
	}

	@Test
	void verifyWhenIssuerMissingThenInvalidIss() {
		assertRejected(withClaim("iss", null), "invalid iss claim");
	}

	@Test
	void verifyWhenAudienceWrongThenInvalidAud() {
		assertRejected(withClaim("aud", "other-api"), "invalid aud claim");
	}

	@Test
	void verifyWhenAudienceArrayWithoutOursThenInvalidAud() {
		assertRejected(withClaim("aud", List.of("other-api", "API")), "invalid aud claim");
	}

	@Test
	void verifyWhenAudienceMissingThenInvalidAud() {
		assertRejected(withClaim("aud", null), "invalid aud claim");
	}

	@Test
	void verifyWhenJtiMissingThenRejected() {
		assertRejected(withClaim("jti", null), "missing jti claim");
	}

	@Test
	void verifyWhenSidNotStringThenRejected() {
		assertRejected(withClaim("sid", List.of("a")), "invalid sid claim");
	}

	// ---- sub and roles end up in headers

	@ParameterizedTest
	@ValueSource(strings = { "user\r\nX-User-Roles: admin", "user\nx", "user\u0000", "", " user", "user ", "us\u00e9r",
			"alice,u-root", "alice u-root", "alice\tu-root", "alice event=refresh_token_reuse_detected user=u-root" })
	void verifyWhenSubjectUnsafeThenInvalidSub(String subject) {
		assertRejected(withClaim("sub", subject), "invalid sub claim");
	}

	@ParameterizedTest
	@ValueSource(strings = { "alice,u-root", "alice u-root", "alice event=login_succeeded" })
	void issueWhenSubjectHoldsCommaOrSpaceThenRefused(String subject) {
		assertThatIllegalArgumentException().isThrownBy(() -> RS256.issuer.issue(subject, List.of(), "s"));
	}

	@Test
	void verifyWhenSubjectMissingThenInvalidSub() {
		assertRejected(withClaim("sub", null), "invalid sub claim");
	}

	@Test
	void verifyWhenRoleHasCommaThenInvalidRoles() {
		assertRejected(withClaim("roles", List.of("user,admin")), "invalid roles claim");
	}

	@Test
	void verifyWhenRoleHasCrlfThenInvalidRoles() {
		assertRejected(withClaim("roles", List.of("user\r\nX-User-Id: admin")), "invalid roles claim");
	}

	@Test
	void verifyWhenRolesNotArrayThenInvalidRoles() {
		assertRejected(withClaim("roles", "admin"), "invalid roles claim");
	}

	@Test
	void verifyWhenRolesContainNonStringThenInvalidRoles() {
		assertRejected(withClaim("roles", List.of("user", 1)), "invalid roles claim");
	}

	@Test
	void verifyWhenRolesContainNullThenInvalidRoles() {
		assertRejected(withClaim("roles", java.util.Arrays.asList("user", null)), "invalid roles claim");
	}

	// ---- ECDSA signature forms

	@Test
	void verifyWhenEcdsaSignatureAllZeroThenInvalidSignature() {
		// CVE-2022-21449 "psychic signature": r = s = 0 verified on unpatched JDKs
		String token = ES256.token(ES256.header(), claims());
		String forged = token.substring(0, token.lastIndexOf('.') + 1) + b64(new byte[64]);
		assertRejected(ES256, forged, "invalid signature");
	}

	@Test
	void verifyWhenEcdsaSignatureDerEncodedThenInvalidSignature() {
		String input = b64(json(ES256.header())) + "." + b64(json(claims()));
		byte[] der = TokenFixture.sign("ES256-DER", ES256.keys.signingKey(), input.getBytes(StandardCharsets.US_ASCII));
		assertThat(der[0]).isEqualTo((byte) 0x30);
		assertRejected(ES256, input + "." + b64(der), "invalid signature");
	}

	// ---- shape and encoding

	@Test
	void verifyWhenTooLargeThenRejected() {
		String padding = "x".repeat(AccessTokenVerifier.MAX_TOKEN_LENGTH);
		assertRejected(withClaim("pad", padding), "token too large");
	}

	@Test
	void verifyWhenAtLimitThenSizeIsNotTheReason() {
		String token = withClaim("pad", "");
		String padded = withClaim("pad", "x".repeat((AccessTokenVerifier.MAX_TOKEN_LENGTH - token.length()) * 3 / 4));
		assertThat(padded.length()).isLessThanOrEqualTo(AccessTokenVerifier.MAX_TOKEN_LENGTH);
		assertThat(RS256.verifier.verify(padded).subject()).isEqualTo("user-42");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "abc", "a.b", "a.b.c.d", "a.b.c.d.e", "a..c", ".b.c", "a.b.c." })
	void verifyWhenWrongNumberOfSegmentsThenMalformed(String token) {
		assertRejected(token, "malformed token");
	}

	@Test
	void verifyWhenJweLikeFivePartsThenMalformed() {
		String header = b64("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"typ\":\"at+jwt\"}");
		assertRejected(header + ".a2V5.aXY.Y2lwaGVy.dGFn", "malformed token");
	}

	@Test
	void verifyWhenIllegalBase64CharactersThenMalformed() {
		String token = rs256(RS256.header(), claims());
		assertRejected(token.replaceFirst("\\.", "+."), "malformed token");
		assertRejected(token.substring(0, 10) + "/" + token.substring(11), "malformed token");
		assertRejected(token.substring(0, 10) + "*" + token.substring(11), "malformed token");
	}

	@Test
	void verifyWhenBase64PaddedThenMalformed() {
		String token = rs256(RS256.header(), claims());
		String[] parts = token.split("\\.");
		assertRejected(parts[0] + "==." + parts[1] + "." + parts[2], "malformed token");
		assertRejected(parts[0] + "." + parts[1] + "." + parts[2] + "=", "malformed token");
	}

	@Test
	void verifyWhenHeaderSegmentNotBase64LengthThenMalformed() {
		String token = rs256(RS256.header(), claims());
		// a base64url segment whose length is 1 mod 4 cannot be decoded
		assertRejected("A" + token.substring(token.indexOf('.') - 4), "malformed token");
	}

	@Test
	void verifyWhenHeaderJsonMalformedThenMalformed() {
		assertRejected(RS256.token("{\"alg\":\"RS256\",\"typ\":\"at+jwt\"", json(claims())), "malformed token");
	}

	@Test
	void verifyWhenHeaderIsJsonArrayThenMalformed() {
		assertRejected(RS256.token("[\"RS256\",\"at+jwt\"]", json(claims())), "malformed token");
	}

	@Test
	void verifyWhenHeaderIsJsonStringThenMalformed() {
		assertRejected(RS256.token("\"RS256\"", json(claims())), "malformed token");
	}

	@Test
	void verifyWhenPayloadNotJsonThenMalformed() {
		assertRejected(RS256.token(json(RS256.header()), "admin"), "malformed token");
	}

	@Test
	void verifyWhenPayloadIsJsonArrayThenMalformed() {
		assertRejected(RS256.token(json(RS256.header()), "[" + json(claims()) + "]"), "malformed token");
	}

	@Test
	void verifyWhenPayloadHasDuplicateClaimThenMalformed() {
		String claims = json(claims()).replaceFirst("\\{", "{\"sub\":\"admin\",");
		assertThat(claims).contains("\"sub\":\"admin\"").contains("\"sub\":\"user-42\"");
		assertRejected(RS256.token(json(RS256.header()), claims), "malformed token");
	}

	@Test
	void verifyWhenPayloadHasDuplicateIssuerThenMalformed() {
		String claims = json(claims()).replaceFirst("\\{", "{\"iss\":\"evil\",");
		assertRejected(RS256.token(json(RS256.header()), claims), "malformed token");
	}

	@Test
	void verifyWhenHeaderHasDuplicateAlgThenMalformed() {
		String header = json(RS256.header()).replaceFirst("\\{", "{\"alg\":\"none\",");
		assertThat(header).contains("\"alg\":\"none\"").contains("\"alg\":\"RS256\"");
		assertRejected(RS256.token(header, json(claims())), "malformed token");
	}

	@Test
	void verifyWhenHeaderHasDuplicateKidThenMalformed() {
		String header = json(RS256.header()).replaceFirst("\\{", "{\"kid\":\"../../dev/null\",");
		assertRejected(RS256.token(header, json(claims())), "malformed token");
	}

}
