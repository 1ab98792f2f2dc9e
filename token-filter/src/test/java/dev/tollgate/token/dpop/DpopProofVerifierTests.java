package dev.tollgate.token.dpop;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.tollgate.test.DpopProofBuilder;
import dev.tollgate.test.DpopProofs;
import dev.tollgate.test.MutableClock;
import dev.tollgate.token.error.ProofUse;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.observe.TokenRejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DpopProofVerifierTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private static final String URI = "https://api.example.com/orders/1";

	private static final String TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJl";

	private static final KeyPair EC = DpopProofs.es256();

	private static final KeyPair ED = DpopProofs.ed25519();

	private static final KeyPair RSA = DpopProofs.rsa2048();

	private final MutableClock clock = MutableClock.at(NOW);

	private final DpopNonces nonces = new DpopNonces(
			"a nonce secret of 32 bytes......".getBytes(StandardCharsets.US_ASCII), Duration.ofMinutes(5), this.clock);

	private DpopProofVerifier verifier = verifier(NonceMode.OFF);

	private DpopProofVerifier verifier(NonceMode nonce) {
		DpopSettings settings = new DpopSettings(DpopMode.OPTIONAL, nonce, DpopSettings.DEFAULTS.algorithms(),
				Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMinutes(5), false);
		return new DpopProofVerifier(settings, this.nonces, this.clock);
	}

	private static DpopProofBuilder proof(KeyPair keys) {
		return DpopProofs.proof(keys).htm("GET").htu(URI).iat(NOW).ath(TOKEN);
	}

	private DpopProof verify(DpopProofBuilder proof) {
		return this.verifier.verify(proof.sign(), HttpMethod.GET, URI, TOKEN, ProofUse.RESOURCE);
	}

	private TollgateError refusal(DpopProofBuilder proof, ProofUse use) {
		return refusal(proof.sign(), use);
	}

	private TollgateError refusal(String proof, ProofUse use) {
		TollgateErrorException ex = catchThrowableOfType(TollgateErrorException.class,
				() -> this.verifier.verify(proof, HttpMethod.GET, URI, (use == ProofUse.RESOURCE) ? TOKEN : null, use));
		assertThat(ex).as("refused").isNotNull();
		return ex.error();
	}

	private void assertInvalid(DpopProofBuilder proof, String description) {
		TollgateError error = refusal(proof, ProofUse.RESOURCE);
		assertThat(error.code()).isEqualTo("invalid_dpop_proof");
		assertThat(error.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(error.dpopChallenge()).isTrue();
		assertThat(error.rejection()).isEqualTo(TokenRejection.DPOP_PROOF_INVALID);
		assertThat(error.description()).isEqualTo(description);
	}

	@Test
	void verifyWhenEs256ProofThenThumbprintJtiAndIat() {
		DpopProof proof = verify(proof(EC).jti("jti-1"));
		assertThat(proof.keyThumbprint()).isEqualTo(DpopProofs.jkt(EC.getPublic()));
		assertThat(proof.jti()).isEqualTo("jti-1");
		assertThat(proof.issuedAt()).isEqualTo(NOW);
	}

	@Test
	void verifyWhenEdDsaProofThenAccepted() {
		assertThat(verify(proof(ED)).keyThumbprint()).isEqualTo(DpopProofs.jkt(ED.getPublic()));
	}

	@Test
	void verifyWhenRs256ProofThenAccepted() {
		assertThat(verify(proof(RSA)).keyThumbprint()).isEqualTo(DpopProofs.jkt(RSA.getPublic()));
	}

	@Test
	void verifyWhenPs256ProofThenAccepted() {
		assertThat(verify(proof(RSA).alg("PS256")).keyThumbprint()).isEqualTo(DpopProofs.jkt(RSA.getPublic()));
	}

	@Test
	void verifyWhenTokenEndpointWithoutAthThenAccepted() {
		DpopProof proof = this.verifier.verify(DpopProofs.proof(EC).htm("POST").htu(URI).iat(NOW).sign(),
				HttpMethod.POST, URI, null, ProofUse.TOKEN_ENDPOINT);
		assertThat(proof.keyThumbprint()).isEqualTo(DpopProofs.jkt(EC.getPublic()));
	}

	@Test
	void verifyWhenHtuDiffersOnlyByNormalisationThenAccepted() {
		verify(proof(EC).htu("HTTPS://API.example.com:443/orders/./1?page=2#top"));
	}

	@Test
	void verifyWhenAnotherMethodThenRefused() {
		assertInvalid(proof(EC).htm("POST"), "DPoP proof htm does not match the request");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://api.example.com/orders/2", "http://api.example.com/orders/1",
			"https://evil.example.com/orders/1", "https://api.example.com:8443/orders/1", "/orders/1",
			"https://user@api.example.com/orders/1" })
	void verifyWhenAnotherUrlThenRefused(String htu) {
		assertInvalid(proof(EC).htu(htu), "DPoP proof htu does not match the request");
	}

	@Test
	void verifyWhenIatTooOldThenRefusedAndAtTheEdgeThenAccepted() {
		assertInvalid(proof(EC).iat(NOW.minusSeconds(66)), "DPoP proof expired");
		verify(proof(EC).iat(NOW.minusSeconds(65)));
	}

	@Test
	void verifyWhenIatInTheFutureThenRefusedAndWithinSkewThenAccepted() {
		assertInvalid(proof(EC).iat(NOW.plusSeconds(6)), "DPoP proof issued in the future");
		verify(proof(EC).iat(NOW.plusSeconds(5)));
	}

	@Test
	void verifyWhenIatIsAStringThenRefused() {
		assertInvalid(proof(EC).claim("iat", String.valueOf(NOW.getEpochSecond())), "DPoP proof iat missing");
	}

	@Test
	void verifyWhenAthOfAnotherTokenOrMissingThenRefused() {
		assertInvalid(proof(EC).ath("another.token.value"), "DPoP proof ath does not match the access token");
		assertInvalid(proof(EC).claim("ath", null), "DPoP proof ath does not match the access token");
	}

	@Test
	void verifyWhenJtiMissingEmptyOrTooLongThenRefused() {
		assertInvalid(proof(EC).jti(null), "DPoP proof jti missing or too long");
		assertInvalid(proof(EC).jti(""), "DPoP proof jti missing or too long");
		assertInvalid(proof(EC).jti("j".repeat(257)), "DPoP proof jti missing or too long");
		verify(proof(EC).jti("j".repeat(256)));
	}

	@Test
	void verifyWhenPrivateKeyInJwkThenRefused() {
		assertInvalid(proof(EC).privateKeyInJwk(), "DPoP proof jwk is not an accepted public key");
		assertInvalid(proof(RSA).privateKeyInJwk(), "DPoP proof jwk is not an accepted public key");
		assertInvalid(proof(ED).privateKeyInJwk(), "DPoP proof jwk is not an accepted public key");
	}

	@Test
	void verifyWhenSymmetricJwkThenRefused() {
		assertInvalid(proof(EC).header("jwk", Map.of("kty", "oct", "k", "c2VjcmV0")),
				"DPoP proof jwk is not an accepted public key");
	}

	@Test
	void verifyWhenJwkMissingOrOfAnotherTypeThanAlgThenRefused() {
		assertInvalid(proof(EC).header("jwk", null), "DPoP proof jwk is not an accepted public key");
		assertInvalid(proof(EC).jwkOf(ED.getPublic()), "DPoP proof jwk is not an accepted public key");
		assertInvalid(proof(RSA).alg("PS256").jwkOf(EC.getPublic()), "DPoP proof jwk is not an accepted public key");
	}

	@Test
	void verifyWhenRsaKeyTooSmallThenRefused() {
		assertInvalid(proof(DpopProofs.rsa(1024)), "DPoP proof jwk is not an accepted public key");
	}

	@Test
	void verifyWhenEcPointOffTheCurveThenRefused() {
		@SuppressWarnings("unchecked")
		Map<String, Object> jwk = new java.util.LinkedHashMap<>(DpopProofs.publicJwk(EC.getPublic()));
		jwk.put("y", jwk.get("x"));
		assertInvalid(proof(EC).header("jwk", jwk), "DPoP proof jwk is not an accepted public key");
	}

	@Test
	void verifyWhenJwkOfAnotherKeyThenSignatureRefused() {
		assertInvalid(proof(EC).jwkOf(DpopProofs.es256().getPublic()), "invalid DPoP proof signature");
	}

	@Test
	void verifyWhenAHeaderSeenBeforeComesWithAnotherKeysSignatureThenRefused() {
		verify(proof(EC));
		KeyPair other = DpopProofs.es256();
		String forged = proof(other).jwkOf(EC.getPublic()).sign();
		assertThat(forged.substring(0, forged.indexOf('.')))
			.isEqualTo(proof(EC).sign().substring(0, forged.indexOf('.')));
		assertThat(refusal(forged, ProofUse.RESOURCE).description()).isEqualTo("invalid DPoP proof signature");
	}

	@Test
	void verifyWhenProofsOfSeveralKeysAndAlgorithmsAlternateOnOneThreadThenEachJudgedByItsOwnKey() {
		// one JCA Signature per algorithm and thread serves every proof: a refusal or
		// another key must leave nothing behind for the next proof
		KeyPair otherEc = DpopProofs.es256();
		KeyPair otherEd = DpopProofs.ed25519();
		for (int round = 0; round < 3; round++) {
			assertThat(verify(proof(EC)).keyThumbprint()).isEqualTo(DpopProofs.jkt(EC.getPublic()));
			assertInvalid(proof(otherEc).jwkOf(EC.getPublic()), "invalid DPoP proof signature");
			assertThat(verify(proof(otherEc)).keyThumbprint()).isEqualTo(DpopProofs.jkt(otherEc.getPublic()));
			assertInvalid(proof(ED).jwkOf(otherEd.getPublic()), "invalid DPoP proof signature");
			assertThat(verify(proof(ED)).keyThumbprint()).isEqualTo(DpopProofs.jkt(ED.getPublic()));
			assertThat(verify(proof(RSA)).keyThumbprint()).isEqualTo(DpopProofs.jkt(RSA.getPublic()));
			assertThat(verify(proof(RSA).alg("PS256")).keyThumbprint()).isEqualTo(DpopProofs.jkt(RSA.getPublic()));
		}
	}

	@Test
	void verifyWhenAlgNoneThenRefused() {
		assertInvalid(proof(EC).algNone(), "DPoP proof algorithm not accepted");
	}

	@Test
	void verifyWhenHs256ThenRefused() {
		assertInvalid(proof(EC).hs256("a shared secret of 32 bytes.....".getBytes(StandardCharsets.US_ASCII)),
				"DPoP proof algorithm not accepted");
	}

	@Test
	void verifyWhenAlgorithmNotConfiguredThenRefused() {
		this.verifier = new DpopProofVerifier(new DpopSettings(DpopMode.OPTIONAL, NonceMode.OFF, List.of("ES256"),
				Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMinutes(5), false), null, this.clock);
		verify(proof(EC));
		assertInvalid(proof(ED), "DPoP proof algorithm not accepted");
	}

	@ParameterizedTest
	@ValueSource(strings = { "JWT", "at+jwt", "DPOP+JWT" })
	void verifyWhenAnotherTypThenRefused(String typ) {
		assertInvalid(proof(EC).typ(typ), "DPoP proof typ is not dpop+jwt");
	}

	@Test
	void verifyWhenCritHeaderThenRefused() {
		assertInvalid(proof(EC).header("crit", List.of("exp")), "DPoP proof has a critical header");
	}

	@Test
	void verifyWhenSignatureTamperedThenRefused() {
		String proof = proof(EC).sign();
		String payload = proof(EC).htm("POST").sign().split("\\.")[1];
		String[] parts = proof.split("\\.");
		TollgateError error = refusal(parts[0] + "." + payload + "." + parts[2], ProofUse.RESOURCE);
		assertThat(error.description()).isEqualTo("invalid DPoP proof signature");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a.b", "a.b.c.d", "..", "a..c", "e30.e30.", "!!!.b.c", "e30.e30.AAAA" })
	void verifyWhenMalformedThenRefused(String proof) {
		TollgateError error = refusal(proof, ProofUse.RESOURCE);
		assertThat(error.code()).isEqualTo("invalid_dpop_proof");
	}

	@Test
	void verifyWhenTooLongThenRefused() {
		assertThat(refusal(proof(EC).claim("pad", "p".repeat(DpopProofVerifier.MAX_PROOF_LENGTH)), ProofUse.RESOURCE)
			.description()).isEqualTo("malformed DPoP proof");
	}

	@Test
	void verifyWhenDuplicateHeaderMemberThenRefused() {
		String proof = proof(EC).sign();
		String header = java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("{\"typ\":\"dpop+jwt\",\"typ\":\"dpop+jwt\",\"alg\":\"ES256\"}".getBytes());
		assertThat(refusal(header + proof.substring(proof.indexOf('.')), ProofUse.RESOURCE).description())
			.isEqualTo("malformed DPoP proof");
	}

	@Test
	void verifyWhenMissingThenProofMissing() {
		TollgateError error = refusal((String) null, ProofUse.RESOURCE);
		assertThat(error.rejection()).isEqualTo(TokenRejection.DPOP_PROOF_MISSING);
		assertThat(error.code()).isEqualTo("invalid_dpop_proof");
	}

	@Test
	void verifyWhenAtTheTokenEndpointThenBadRequestWithoutChallenge() {
		TollgateError error = refusal(proof(EC).htm("PUT"), ProofUse.TOKEN_ENDPOINT);
		assertThat(error.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(error.code()).isEqualTo("invalid_dpop_proof");
		assertThat(error.challenge()).isFalse();
	}

	@Test
	void verifyWhenNonceRequiredAndMissingThenUseDpopNonceWithTheCurrentOne() {
		this.verifier = verifier(NonceMode.ALWAYS);
		TollgateError error = refusal(proof(EC), ProofUse.RESOURCE);
		assertThat(error.code()).isEqualTo("use_dpop_nonce");
		assertThat(error.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(error.rejection()).isEqualTo(TokenRejection.DPOP_NONCE);
		assertThat(error.dpopNonce()).isEqualTo(this.nonces.current());
	}

	@Test
	void verifyWhenNonceStaleThenUseDpopNonceAndWhenCurrentThenAccepted() {
		this.verifier = verifier(NonceMode.ALWAYS);
		String old = this.nonces.current();
		this.clock.advance(Duration.ofMinutes(10));
		TollgateError error = refusal(proof(EC).iat(this.clock.instant()).nonce(old), ProofUse.RESOURCE);
		assertThat(error.code()).isEqualTo("use_dpop_nonce");
		assertThat(error.dpopNonce()).isEqualTo(this.nonces.current()).isNotEqualTo(old);
		this.verifier.verify(proof(EC).iat(this.clock.instant()).nonce(this.nonces.current()).sign(), HttpMethod.GET,
				URI, TOKEN, ProofUse.RESOURCE);
	}

	@Test
	void verifyWhenNonceAtTokenEndpointOnlyThenBadRequestThereAndNotAskedAtResources() {
		this.verifier = verifier(NonceMode.TOKEN_ENDPOINT);
		TollgateError error = refusal(proof(EC), ProofUse.TOKEN_ENDPOINT);
		assertThat(error.code()).isEqualTo("use_dpop_nonce");
		assertThat(error.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(error.dpopNonce()).isEqualTo(this.nonces.current());
		verify(proof(EC));
		assertThat(this.verifier.currentNonce(ProofUse.RESOURCE)).isNull();
		assertThat(this.verifier.currentNonce(ProofUse.TOKEN_ENDPOINT)).isEqualTo(this.nonces.current());
	}

	@Test
	void accessTokenHashWhenComputedThenBase64UrlSha256() {
		assertThat(DpopProofVerifier.accessTokenHash(TOKEN)).isEqualTo(DpopProofs.ath(TOKEN)).hasSize(43);
	}

}
