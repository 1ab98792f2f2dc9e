package dev.tollgate.routes.dpop;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;

import dev.tollgate.routes.TestTokens;
import dev.tollgate.routes.session.StoreUnavailableException;
import dev.tollgate.test.DpopProofs;
import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.dpop.NonceMode;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.observe.TokenRejection;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TokenEndpointProof}: the DPoP proof of a login or a refresh (RFC 9449 §5). */
class TokenEndpointProofTests {

	private static final String REFRESH = "https://gw.example/auth/refresh";

	private final KeyPair keys = DpopProofs.es256();

	private final DpopReplayGuard replay = TestTokens.localReplayGuard();

	private TokenEndpointProof proof(DpopMode mode, NonceMode nonce) {
		return TestTokens.tokenEndpointProof(TestTokens.dpop(mode, nonce), this.replay);
	}

	private TokenEndpointProof optional() {
		return proof(DpopMode.OPTIONAL, NonceMode.OFF);
	}

	private static MockServerHttpRequest post(String uri, String... proofs) {
		return MockServerHttpRequest.post(uri).header("DPoP", proofs).build();
	}

	private String signed() {
		return DpopProofs.proof(this.keys).htm("POST").htu(REFRESH).sign();
	}

	private static TollgateError error(Mono<ProvenKey> check) {
		try {
			check.block(Duration.ofSeconds(5));
		}
		catch (TollgateErrorException ex) {
			return ex.error();
		}
		throw new AssertionError("expected a refusal");
	}

	@Test
	void refreshWhenAValidProofThenTheKeyItProved() {
		ProvenKey key = optional().refresh(post(REFRESH, signed())).block(Duration.ofSeconds(5));

		assertThat(key.thumbprint()).isEqualTo(DpopProofs.jkt(this.keys.getPublic()));
		assertThat(key.proved()).isTrue();
	}

	@Test
	void loginWhenEd25519ProofThenTheKeyItProved() {
		KeyPair ed25519 = DpopProofs.ed25519();
		String login = "https://gw.example/auth/login";

		ProvenKey key = optional().login(post(login, DpopProofs.proof(ed25519).htm("POST").htu(login).sign()))
			.block(Duration.ofSeconds(5));

		assertThat(key.thumbprint()).isEqualTo(DpopProofs.jkt(ed25519.getPublic()));
	}

	@Test
	void refreshWhenNoProofThenNoKeyWhateverTheMode() {
		for (DpopMode mode : DpopMode.values()) {
			assertThat(proof(mode, NonceMode.OFF).refresh(post(REFRESH)).block(Duration.ofSeconds(5))).as("%s", mode)
				.isEqualTo(ProvenKey.NONE);
		}
	}

	@Test
	void loginWhenRequiredAndNoProofThenInvalidDpopProofRequired() {
		TollgateError error = error(proof(DpopMode.REQUIRED, NonceMode.OFF).login(post(REFRESH)));

		assertThat(error.code()).isEqualTo("invalid_dpop_proof");
		assertThat(error.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(error.description()).isEqualTo("DPoP proof required");
		assertThat(error.rejection()).isEqualTo(TokenRejection.DPOP_PROOF_MISSING);
		assertThat(error.challenge()).isFalse();
	}

	@Test
	void loginWhenOptionalAndNoProofThenABearerLogin() {
		assertThat(optional().login(post(REFRESH)).block(Duration.ofSeconds(5))).isEqualTo(ProvenKey.NONE);
	}

	@Test
	void checkWhenModeOffThenTheHeaderIsIgnoredEvenWhenInvalid() {
		TokenEndpointProof off = proof(DpopMode.OFF, NonceMode.OFF);

		assertThat(off.login(post(REFRESH, "not-a-proof")).block(Duration.ofSeconds(5))).isEqualTo(ProvenKey.NONE);
		assertThat(TokenEndpointProof.OFF.refresh(post(REFRESH, "a", "b")).block(Duration.ofSeconds(5)))
			.isEqualTo(ProvenKey.NONE);
	}

	@Test
	void refreshWhenTheProofIsUsedAgainThenReplayRefusedWithoutTheKey() {
		String proof = signed();
		optional().refresh(post(REFRESH, proof)).block(Duration.ofSeconds(5));

		TollgateError error = error(optional().refresh(post(REFRESH, proof)));

		assertThat(error.code()).isEqualTo("invalid_dpop_proof");
		assertThat(error.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(error.rejection()).isEqualTo(TokenRejection.DPOP_REPLAY);
	}

	@Test
	void refreshWhenTheProofIsForAnotherMethodOrUrlThenInvalidAndNotRecorded() {
		String forGet = DpopProofs.proof(this.keys).htm("GET").htu(REFRESH).sign();
		String forLogout = DpopProofs.proof(this.keys).htm("POST").htu("https://gw.example/auth/logout").sign();
		String forHttp = DpopProofs.proof(this.keys).htm("POST").htu("http://gw.example/auth/refresh").sign();

		for (String proof : new String[] { forGet, forLogout, forHttp }) {
			TollgateError error = error(optional().refresh(post(REFRESH, proof)));
			assertThat(error.code()).isEqualTo("invalid_dpop_proof");
			assertThat(error.rejection()).isEqualTo(TokenRejection.DPOP_PROOF_INVALID);
		}
	}

	@Test
	void refreshWhenTheProofIsExpiredOrBadlySignedThenInvalid() {
		String expired = DpopProofs.proof(this.keys)
			.htm("POST")
			.htu(REFRESH)
			.iat(Instant.now().minus(Duration.ofMinutes(5)))
			.sign();
		String none = DpopProofs.proof(this.keys).htm("POST").htu(REFRESH).algNone().sign();
		String privateJwk = DpopProofs.proof(this.keys).htm("POST").htu(REFRESH).privateKeyInJwk().sign();

		for (String proof : new String[] { expired, none, privateJwk }) {
			assertThat(error(optional().refresh(post(REFRESH, proof))).code()).isEqualTo("invalid_dpop_proof");
		}
	}

	@Test
	void refreshWhenTwoDpopHeadersThenInvalid() {
		TollgateError error = error(optional().refresh(post(REFRESH, signed(), signed())));

		assertThat(error.code()).isEqualTo("invalid_dpop_proof");
		assertThat(error.status()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void refreshWhenNoncesAtTheTokenEndpointAndNoneInTheProofThenUseDpopNonceWithTheCurrentOne() {
		DpopSettings settings = TestTokens.dpop(DpopMode.OPTIONAL, NonceMode.TOKEN_ENDPOINT);
		TokenEndpointProof proof = TestTokens.tokenEndpointProof(settings, this.replay);

		TollgateError error = error(proof.refresh(post(REFRESH, signed())));

		assertThat(error.code()).isEqualTo("use_dpop_nonce");
		assertThat(error.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(error.dpopNonce()).isEqualTo(TestTokens.nonces(settings).current());
	}

	@Test
	void refreshWhenNoncesAndTheCurrentOneInTheProofThenTheKeyAndTheAnswerCarriesTheNonce() {
		DpopSettings settings = TestTokens.dpop(DpopMode.OPTIONAL, NonceMode.ALWAYS);
		TokenEndpointProof proof = TestTokens.tokenEndpointProof(settings, this.replay);
		String nonce = TestTokens.nonces(settings).current();

		ProvenKey key = proof
			.refresh(post(REFRESH, DpopProofs.proof(this.keys).htm("POST").htu(REFRESH).nonce(nonce).sign()))
			.block(Duration.ofSeconds(5));

		assertThat(key.proved()).isTrue();
		assertThat(proof.responseNonce(key)).isEqualTo(nonce);
		assertThat(proof.responseNonce(ProvenKey.NONE)).isNull();
		assertThat(optional().responseNonce(key)).isNull();
	}

	@Test
	void refreshWhenTheReplayGuardIsUnavailableThenStoreUnavailableNeverAccepted() {
		TokenEndpointProof proof = TestTokens.tokenEndpointProof(TestTokens.dpop(DpopMode.OPTIONAL, NonceMode.OFF),
				(checked) -> Mono.error(new StoreUnavailableException("down", null)));

		StepVerifier.create(proof.refresh(post(REFRESH, signed())))
			.expectError(StoreUnavailableException.class)
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void refreshWhenAnInvalidProofThenTheReplayGuardIsNotAsked() {
		TokenEndpointProof proof = TestTokens.tokenEndpointProof(TestTokens.dpop(DpopMode.OPTIONAL, NonceMode.OFF),
				(checked) -> Mono.error(new AssertionError("asked")));

		// a guard that was asked would fail the check with its AssertionError instead
		assertThat(
				error(proof.refresh(post(REFRESH, DpopProofs.proof(this.keys).htm("GET").htu(REFRESH).sign()))).code())
			.isEqualTo("invalid_dpop_proof");
	}

}
