package dev.tollgate.routes.login;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.TestTokens;
import dev.tollgate.routes.dpop.ProvenKey;
import dev.tollgate.routes.dpop.TokenEndpointProof;
import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.test.DpopProofs;
import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.NonceMode;
import dev.tollgate.token.error.TollgateErrorException;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LoginPrechecks}: the refusals a login's headers alone earn, its DPoP proof
 * included.
 */
class LoginPrechecksTests {

	private static final String LOGIN = "https://gw.example/auth/login";

	private static final CookieSettings COOKIE_MODE = new CookieSettings(true, "__Secure-tollgate-refresh", "/auth",
			List.of("https://app.example.com"));

	private static final CookieSettings BODY_MODE = new CookieSettings(false, "__Secure-tollgate-refresh", "/auth",
			List.of());

	private static HttpHeaders headers(MockServerHttpRequest.BaseBuilder<?> request) {
		return request.build().getHeaders();
	}

	@Test
	void refusalWhenCookieModeAndCrossSiteThenAccessDenied() {
		LoginPrechecks prechecks = new LoginPrechecks(COOKIE_MODE, 1024);

		assertThat(prechecks
			.refusal(headers(MockServerHttpRequest.post("/auth/login").header("Sec-Fetch-Site", "cross-site")))
			.code()).isEqualTo("access_denied");
		assertThat(prechecks
			.refusal(headers(
					MockServerHttpRequest.post("/auth/login").header(HttpHeaders.ORIGIN, "https://evil.example")))
			.status()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(prechecks.refusal(headers(
				MockServerHttpRequest.post("/auth/login").header(HttpHeaders.ORIGIN, "https://app.example.com"))))
			.isNull();
	}

	@Test
	void refusalWhenBodyModeAndCrossSiteThenNone() {
		assertThat(new LoginPrechecks(BODY_MODE, 1024)
			.refusal(headers(MockServerHttpRequest.post("/auth/login").header("Sec-Fetch-Site", "cross-site"))))
			.isNull();
	}

	@Test
	void checkWhenAValidDpopProofThenTheKeyItProved() {
		KeyPair keys = DpopProofs.es256();
		LoginPrechecks prechecks = new LoginPrechecks(BODY_MODE, 1024, dpop(TestTokens.localReplayGuard()));

		ProvenKey key = prechecks
			.check(MockServerHttpRequest.post(LOGIN)
				.header("DPoP", DpopProofs.proof(keys).htm("POST").htu(LOGIN).sign())
				.build())
			.block(Duration.ofSeconds(5));

		assertThat(key.thumbprint()).isEqualTo(DpopProofs.jkt(keys.getPublic()));
	}

	@Test
	void checkWhenCrossSiteWithAValidProofThenAccessDeniedBeforeTheProofIsRecorded() {
		KeyPair keys = DpopProofs.es256();
		String proof = DpopProofs.proof(keys).htm("POST").htu(LOGIN).sign();
		LoginPrechecks prechecks = new LoginPrechecks(COOKIE_MODE, 1024, dpop(TestTokens.localReplayGuard()));

		StepVerifier.create(prechecks.check(
				MockServerHttpRequest.post(LOGIN).header("Sec-Fetch-Site", "cross-site").header("DPoP", proof).build()))
			.expectErrorSatisfies(
					(ex) -> assertThat(((TollgateErrorException) ex).error().code()).isEqualTo("access_denied"))
			.verify(Duration.ofSeconds(5));
		// not spent: the same proof from the app's own origin still passes
		assertThat(prechecks.check(MockServerHttpRequest.post(LOGIN).header("DPoP", proof).build())
			.block(Duration.ofSeconds(5))
			.proved()).isTrue();
	}

	@Test
	void checkWhenAnInvalidProofThenInvalidDpopProof() {
		LoginPrechecks prechecks = new LoginPrechecks(BODY_MODE, 1024, dpop(TestTokens.localReplayGuard()));

		StepVerifier.create(prechecks.check(MockServerHttpRequest.post(LOGIN).header("DPoP", "a.b.c").build()))
			.expectErrorSatisfies(
					(ex) -> assertThat(((TollgateErrorException) ex).error().code()).isEqualTo("invalid_dpop_proof"))
			.verify(Duration.ofSeconds(5));
	}

	private static TokenEndpointProof dpop(DpopReplayGuard replay) {
		return TestTokens.tokenEndpointProof(TestTokens.dpop(DpopMode.OPTIONAL, NonceMode.OFF), replay);
	}

	@Test
	void refusalWhenBodyAnnouncedLargerThanAllowedThen413() {
		LoginPrechecks prechecks = new LoginPrechecks(BODY_MODE, 1024);

		assertThat(prechecks.refusal(headers(MockServerHttpRequest.post("/auth/login").contentLength(1025)))
			.status()
			.value()).isEqualTo(413);
		assertThat(prechecks.refusal(headers(MockServerHttpRequest.post("/auth/login").contentLength(1024)))).isNull();
	}

}
