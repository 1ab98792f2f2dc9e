package dev.tollgate.app;

import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.tollgate.test.DpopProofs;
import dev.tollgate.test.GatewayProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP (RFC 9449) black-box with every strict setting on, two instances of the real jar
 * sharing one Redis (see {@link DpopITSupport}): {@code tollgate.dpop.mode: required},
 * {@code nonce: token-endpoint}, {@code access-replay: shared}, one trusted proxy and the
 * refresh binding policy {@code enforce}. Each setting is exercised by its own case; the
 * others only add a nonce to the token-endpoint proofs (one fetched before each test from
 * the first instance, and used on both: nonces are derived, not stored).
 */
class DpopStrictIT extends DpopITSupport {

	@Override
	List<String> settings() {
		return List.of("--tollgate.dpop.mode=required", "--tollgate.dpop.nonce=token-endpoint",
				"--tollgate.dpop.access-replay=shared", "--tollgate.client-address.trusted-proxies=1",
				"--tollgate.refresh-token.binding.policy=enforce");
	}

	@BeforeEach
	void fetchNonce() {
		this.nonce = nonceFrom(this.first);
	}

	/** The nonce a login without one is answered with (nothing else happens). */
	private String nonceFrom(GatewayProcess gateway) {
		Answer answer = login(gateway, withoutNonce(DpopProofs.es256()));
		assertProblem(answer, 400, "use_dpop_nonce");
		String nonce = answer.headers().getFirst("DPoP-Nonce");
		assertThat(nonce).as("DPoP-Nonce").isNotBlank();
		return nonce;
	}

	/** A login proof by {@code key} with no nonce. */
	private static String withoutNonce(KeyPair key) {
		return DpopProofs.proof(key).htm("POST").htu(ORIGIN + "/auth/login").sign();
	}

	@Test
	void loginWhenNoProofAndModeRequiredThenInvalidDpopProofAndTheUserServiceNotCalled() {
		Map<String, String> sessions = storedSessions();

		assertLoginRefused(login(this.second, null), "invalid_dpop_proof", sessions);
	}

	@Test
	void loginWhenNoNonceThenUseDpopNonceAndARetryWithTheNonceSucceeds() {
		Map<String, String> sessions = storedSessions();
		KeyPair key = DpopProofs.es256();

		Answer challenged = login(this.first, withoutNonce(key));

		assertLoginRefused(challenged, "use_dpop_nonce", sessions);
		String fresh = challenged.headers().getFirst("DPoP-Nonce");
		assertThat(fresh).isNotBlank();
		Answer retried = login(this.first, loginProof(key).nonce(fresh).sign());
		assertBoundTo(retried, key);
		assertThat(retried.headers().getFirst("DPoP-Nonce")).as("the nonce to use next").isNotBlank();
		assertThat(userServiceCalls()).isEqualTo(1);
	}

	@Test
	void loginWhenNonceFromOneInstanceThenTheOtherAcceptsIt() {
		KeyPair key = DpopProofs.es256();
		String fromFirst = nonceFrom(this.first);

		assertBoundTo(login(this.second, loginProof(key).nonce(fromFirst).sign()), key);
		assertThat(this.redis.command("KEYS", "*nonce*")).as("nonces in the store").isNullOrEmpty();
	}

	@Test
	void loginWhenNonceNotTheServersThenUseDpopNonce() {
		Map<String, String> sessions = storedSessions();
		String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[24]);

		Answer answer = login(this.second, loginProof(DpopProofs.es256()).nonce(forged).sign());

		assertLoginRefused(answer, "use_dpop_nonce", sessions);
		assertThat(answer.headers().getFirst("DPoP-Nonce")).isNotBlank().isNotEqualTo(forged);
	}

	@Test
	void refreshWhenNoNonceThenUseDpopNonceAndNothingRotated() {
		KeyPair key = DpopProofs.es256();
		Answer login = loginBound(this.first, key);
		Map<String, String> sessions = storedSessions();

		Answer answer = refresh(this.second, login.refreshToken(),
				DpopProofs.proof(key).htm("POST").htu(ORIGIN + "/auth/refresh").sign());

		assertProblem(answer, 400, "use_dpop_nonce");
		assertThat(answer.headers().getFirst("DPoP-Nonce")).isNotBlank();
		assertThat(storedSessions()).isEqualTo(sessions);
		assertBoundTo(refresh(this.second, login.refreshToken(), refreshProof(key).sign()), key);
	}

	@Test
	void accessWhenNonceOnlyAtTheTokenEndpointThenResourceProofsNeedNone() {
		KeyPair key = DpopProofs.es256();
		String token = loginBound(this.first, key).accessToken();

		Answer answer = access(this.second, "/api/items", token, key);

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
	}

	/**
	 * {@code access-replay: shared}: the access path checks proofs in the same Redis
	 * replay guard as the token endpoint, so a proof used on one instance is refused on
	 * the other too (the default's cross-instance window is closed, at one Redis round
	 * trip per request).
	 */
	@Test
	void accessWhenProofReplayedOnTheOtherInstanceAndSharedReplayThenUnauthorized() {
		KeyPair key = DpopProofs.es256();
		String token = loginBound(this.first, key).accessToken();
		String proof = accessProof(key, "/api/items", token).sign();
		Map<String, Long> redisBefore = redisCommands();
		assertThat(get(this.first, "/api/items", "DPoP " + token, proof).status()).isEqualTo(200);
		assertThat(redisCommands()).as("the shared replay guard asked").isNotEqualTo(redisBefore);
		forgetRequests();

		assertAccessRefused(get(this.second, "/api/items", "DPoP " + token, proof), "invalid_dpop_proof");
		assertAccessRefused(get(this.first, "/api/items", "DPoP " + token, proof), "invalid_dpop_proof");
	}

	static Stream<Arguments> proxies() {
		Consumer<HttpHeaders> protoAndHost = DpopIT::forwardedByAProxy;
		Consumer<HttpHeaders> withPort = protoAndHost.andThen((headers) -> headers.set("X-Forwarded-Port", "8443"));
		Consumer<HttpHeaders> rfc7239 = (headers) -> headers.set("Forwarded",
				"for=192.0.2.7;proto=https;host=\"api.example.com:8443\"");
		return Stream.of(Arguments.of(Named.of("X-Forwarded-Proto and -Host", protoAndHost), "https://api.example.com"),
				Arguments.of(Named.of("X-Forwarded-Proto, -Host and -Port", withPort), "https://api.example.com:8443"),
				Arguments.of(Named.of("Forwarded (RFC 7239)", rfc7239), "https://api.example.com:8443"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("proxies")
	void loginAndAccessWhenTrustedProxyForwardsSchemeAndHostThenProofsAreForThePublicUrl(Consumer<HttpHeaders> proxy,
			String publicOrigin) {
		KeyPair key = DpopProofs.es256();
		Answer tokens = login(this.first,
				DpopProofs.proof(key).htm("POST").htu(publicOrigin + "/auth/login").nonce(this.nonce).sign(), proxy);
		assertBoundTo(tokens, key);
		String token = tokens.accessToken();

		Answer publicUrl = get(this.second, "/api/items", "DPoP " + token,
				DpopProofs.proof(key).htm("GET").htu(publicOrigin + "/api/items").ath(token).sign(), proxy);
		assertThat(publicUrl.status()).as(publicUrl.body()).isEqualTo(200);
		forgetRequests();

		Answer hopUrl = get(this.second, "/api/items", "DPoP " + token, accessProof(key, "/api/items", token).sign(),
				proxy);
		assertAccessRefused(hopUrl, "invalid_dpop_proof");
	}

	/**
	 * A stolen refresh token used without the key, under the binding policy
	 * {@code enforce}: {@code invalid_grant}, and the session ends: the owner's next
	 * refresh fails too, and its access token is refused within a second.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "no proof", "a proof by another key" })
	void refreshWhenBoundSessionWithoutItsKeyUnderEnforceThenInvalidGrantAndTheSessionEnds(String how) {
		KeyPair key = DpopProofs.es256();
		Answer login = loginBound(this.first, key);
		String proof = "no proof".equals(how) ? null : refreshProof(DpopProofs.es256()).sign();

		Answer stolen = refresh(this.second, login.refreshToken(), proof);

		assertProblem(stolen, 401, "invalid_grant");
		assertProblem(refresh(this.first, login.refreshToken(), refreshProof(key).sign()), 401, "invalid_grant");
		Awaitility.await("the ended session's access token refused")
			.atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> access(this.first, "/api/items", login.accessToken(), key).status() == 401);
	}

}
