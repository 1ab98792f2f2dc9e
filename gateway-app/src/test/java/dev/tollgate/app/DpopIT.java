package dev.tollgate.app;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.test.DpopProofBuilder;
import dev.tollgate.test.DpopProofs;
import dev.tollgate.test.GatewayProcess;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP (RFC 9449) black-box, with the defaults: {@code tollgate.dpop.mode: optional},
 * {@code nonce: off}, {@code access-replay: instance}, no trusted proxy, refresh binding
 * policy {@code audit}. Two instances of the real jar share one Redis (see
 * {@link DpopITSupport}). Every refusal is checked for its status, its {@code error}, the
 * {@code DPoP} challenge where RFC 9449 §7.1 wants one (401s), and for what did not
 * happen: no call to the user service, no session created or rotated in the store,
 * nothing sent upstream.
 */
class DpopIT extends DpopITSupport {

	@Override
	List<String> settings() {
		return List.of();
	}

	static Stream<Arguments> keys() {
		return Stream.of(Arguments.of("ES256", (Supplier<KeyPair>) DpopProofs::es256),
				Arguments.of("EdDSA", (Supplier<KeyPair>) DpopProofs::ed25519),
				Arguments.of("RS256", (Supplier<KeyPair>) DpopProofs::rsa2048),
				Arguments.of("PS256", (Supplier<KeyPair>) DpopProofs::rsa2048));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("keys")
	void loginWhenProofBySupportedAlgorithmThenBoundTokensAndUpstreamGetsTheIdentityWithoutTheProof(String alg,
			Supplier<KeyPair> keys) {
		KeyPair key = keys.get();
		Answer tokens = login(this.first, loginProof(key).alg(alg).sign());
		assertBoundTo(tokens, key);

		for (GatewayProcess gateway : List.of(this.first, this.second)) {
			Answer answer = get(gateway, "/api/items", "DPoP " + tokens.accessToken(),
					accessProof(key, "/api/items", tokens.accessToken()).alg(alg).sign());
			assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		}
		List<LoggedRequest> upstream = upstreamRequests();
		assertThat(upstream).hasSize(2).allSatisfy((request) -> {
			assertThat(request.getHeader("X-User-Id")).isEqualTo(USER_ID);
			assertThat(request.getHeader("X-User-Roles")).isEqualTo("user");
			assertThat(request.containsHeader("DPoP")).as("the proof upstream").isFalse();
		});
		assertThat(userServiceCalls()).isEqualTo(1);
	}

	@Test
	void loginWhenNoProofThenBearerTokensWithoutCnf() {
		Answer tokens = login(this.first, null);

		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		assertThat(tokens.json()).containsEntry("tokenType", "Bearer");
		assertThat(claims(tokens.accessToken())).doesNotContainKey("cnf");
		assertThat(get(this.second, "/api/items", "Bearer " + tokens.accessToken(), null).status()).isEqualTo(200);
	}

	@Test
	void loginWhenProofReplayedOnTheSameOrTheOtherInstanceThenInvalidDpopProofAndTheUserServiceCalledOnce() {
		KeyPair key = DpopProofs.es256();
		String proof = loginProof(key).sign();
		assertBoundTo(login(this.first, proof), key);
		Map<String, String> sessions = storedSessions();

		assertProblem(login(this.first, proof), 400, "invalid_dpop_proof");
		assertProblem(login(this.second, proof), 400, "invalid_dpop_proof");

		assertThat(userServiceCalls()).isEqualTo(1);
		assertThat(storedSessions()).as("sessions after the replays").isEqualTo(sessions);
	}

	@Test
	void refreshWhenProofReplayedOnTheOtherInstanceThenInvalidDpopProofAndNothingRotated() {
		KeyPair key = DpopProofs.es256();
		Answer login = loginBound(this.first, key);
		String proof = refreshProof(key).sign();
		Answer rotated = refresh(this.first, login.refreshToken(), proof);
		assertBoundTo(rotated, key);
		Map<String, String> sessions = storedSessions();

		assertProblem(refresh(this.second, rotated.refreshToken(), proof), 400, "invalid_dpop_proof");
		assertProblem(refresh(this.first, rotated.refreshToken(), proof), 400, "invalid_dpop_proof");

		assertThat(storedSessions()).as("the session after the replays").isEqualTo(sessions);
		assertBoundTo(refresh(this.second, rotated.refreshToken(), refreshProof(key).sign()), key);
	}

	/**
	 * Proofs that fail a check of their own, whatever the request: each is refused at
	 * login and on a resource request.
	 */
	static Stream<Named<UnaryOperator<DpopProofBuilder>>> invalidProofs() {
		return Stream.of(bad("another method (htm)", (proof) -> proof.htm("DELETE")),
				bad("another URL (htu)", (proof) -> proof.htu(ORIGIN + "/elsewhere")),
				bad("another host (htu)", (proof) -> proof.htu("http://other.test/api/items")),
				bad("iat two minutes old", (proof) -> proof.iat(Instant.now().minusSeconds(120))),
				bad("iat a minute ahead", (proof) -> proof.iat(Instant.now().plusSeconds(60))),
				bad("alg none", DpopProofBuilder::algNone),
				bad("HS256", (proof) -> proof.hs256("a secret that is long enough for HS256!".getBytes())),
				bad("a private key in jwk", DpopProofBuilder::privateKeyInJwk),
				bad("typ JWT", (proof) -> proof.typ("JWT")), bad("no typ", (proof) -> proof.typ(null)),
				bad("signed by a key other than jwk's", (proof) -> proof.jwkOf(DpopProofs.es256().getPublic())),
				bad("no jti", (proof) -> proof.jti(null)));
	}

	private static Named<UnaryOperator<DpopProofBuilder>> bad(String name, UnaryOperator<DpopProofBuilder> how) {
		return Named.of(name, how);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidProofs")
	void loginWhenProofInvalidThenInvalidDpopProofNothingMintedAndTheUserServiceNotCalled(
			UnaryOperator<DpopProofBuilder> bad) {
		Map<String, String> sessions = storedSessions();

		Answer answer = login(this.first, bad.apply(loginProof(DpopProofs.es256())).sign());

		assertLoginRefused(answer, "invalid_dpop_proof", sessions);
	}

	/**
	 * The other side of the {@code iat} cases: a proof 50 s old or 3 s ahead (of a 60 s
	 * {@code proof-max-age} and 5 s {@code clock-skew}) is still good.
	 */
	@ParameterizedTest(name = "iat {0} s from now")
	@ValueSource(longs = { -50, 3 })
	void loginAndAccessWhenIatWithinTheWindowThenAccepted(long seconds) {
		KeyPair key = DpopProofs.es256();
		Instant iat = Instant.now().plusSeconds(seconds);

		Answer tokens = login(this.first, loginProof(key).iat(iat).sign());
		assertBoundTo(tokens, key);
		String token = tokens.accessToken();
		Answer answer = get(this.second, "/api/items", "DPoP " + token,
				accessProof(key, "/api/items", token).iat(iat).sign());

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
	}

	/**
	 * The token endpoint's replay entry (key as in the design: {@code tollgate:dpop:{}}
	 * and 16 bytes of SHA-256({@code jkt "." jti})) lives at least as long as the proof
	 * can still be accepted: a proof issued at the far end of the skew stays acceptable
	 * for {@code proof-max-age} plus skew after its {@code iat}. An entry that expired
	 * sooner would let it be replayed (Keycloak's #43505).
	 */
	@Test
	void loginWhenProofAcceptedThenItsReplayEntryOutlivesItsAcceptanceWindow() throws Exception {
		KeyPair key = DpopProofs.es256();
		Instant iat = Instant.now().plusSeconds(4);
		String jti = "replay-window-" + System.nanoTime();
		assertBoundTo(login(this.first, loginProof(key).iat(iat).jti(jti).sign()), key);

		byte[] hash = MessageDigest.getInstance("SHA-256")
			.digest((thumbprint(key.getPublic()) + "." + jti).getBytes(StandardCharsets.UTF_8));
		String entry = "tollgate:dpop:{"
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16)) + "}";
		long remaining = Long.parseLong(this.redis.command("PTTL", entry));
		long acceptable = Duration.between(Instant.now(), iat.plusSeconds(60 + 5)).toMillis();
		assertThat(remaining).as("ms the replay entry still lives (-2: none)").isGreaterThanOrEqualTo(acceptable);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidProofs")
	void accessWhenProofInvalidThenUnauthorizedWithDpopChallengeAndNothingUpstream(
			UnaryOperator<DpopProofBuilder> bad) {
		KeyPair key = DpopProofs.es256();
		String token = loginBound(this.first, key).accessToken();

		Answer answer = get(this.second, "/api/items", "DPoP " + token,
				bad.apply(accessProof(key, "/api/items", token)).sign());

		assertAccessRefused(answer, "invalid_dpop_proof");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidProofs")
	void refreshWhenProofInvalidThenInvalidDpopProofAndNothingRotated(UnaryOperator<DpopProofBuilder> bad) {
		KeyPair key = DpopProofs.es256();
		Answer login = loginBound(this.first, key);
		Map<String, String> sessions = storedSessions();

		Answer answer = refresh(this.second, login.refreshToken(), bad.apply(refreshProof(key)).sign());

		assertProblem(answer, 400, "invalid_dpop_proof");
		assertThat(storedSessions()).as("the session after the refused refresh").isEqualTo(sessions);
		assertBoundTo(refresh(this.second, login.refreshToken(), refreshProof(key).sign()), key);
	}

	@Test
	void loginAndAccessWhenTwoProofsThenRefused() {
		KeyPair key = DpopProofs.es256();
		Map<String, String> sessions = storedSessions();
		Answer login = login(this.first, loginProof(key).sign(),
				(headers) -> headers.add("DPoP", loginProof(key).sign()));
		assertLoginRefused(login, "invalid_dpop_proof", sessions);

		String token = loginBound(this.first, key).accessToken();
		Answer access = get(this.first, "/api/items", "DPoP " + token, accessProof(key, "/api/items", token).sign(),
				(headers) -> headers.add("DPoP", accessProof(key, "/api/items", token).sign()));
		assertAccessRefused(access, "invalid_dpop_proof");
	}

	/**
	 * RFC 9449 §4.3: {@code htu} is compared after RFC 3986 §6 normalisation, without
	 * query or fragment.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "HTTP://Gateway.TEST/api/items", "http://gateway.test:80/api/items",
			"http://gateway.test/api/items?page=2", "http://gateway.test/api/items#top",
			"http://gateway.test/api/./other/../items" })
	void accessWhenHtuSpelledDifferentlyForTheSameUrlThenAccepted(String htu) {
		KeyPair key = DpopProofs.es256();
		String token = loginBound(this.first, key).accessToken();

		Answer answer = get(this.first, "/api/items", "DPoP " + token,
				DpopProofs.proof(key).htm("GET").htu(htu).ath(token).sign());

		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
	}

	@Test
	void refreshWhenUnboundSessionAndAProofThenStillBearer() {
		Answer login = login(this.first, null);
		assertThat(login.json()).containsEntry("tokenType", "Bearer");

		Answer rotated = refresh(this.second, login.refreshToken(), refreshProof(DpopProofs.es256()).sign());

		assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
		assertThat(rotated.json()).containsEntry("tokenType", "Bearer");
		assertThat(claims(rotated.accessToken())).doesNotContainKey("cnf");
	}

	@Test
	void accessWhenProofByAnotherKeyThanCnfJktThenUnauthorized() {
		String token = loginBound(this.first, DpopProofs.es256()).accessToken();

		Answer answer = access(this.first, "/api/items", token, DpopProofs.es256());

		assertAccessRefused(answer, "invalid_dpop_proof");
	}

	@Test
	void accessWhenAthIsNotTheTokensHashThenUnauthorized() {
		KeyPair key = DpopProofs.es256();
		String token = loginBound(this.first, key).accessToken();
		String other = loginBound(this.first, key).accessToken();

		Answer wrong = get(this.first, "/api/items", "DPoP " + token, accessProof(key, "/api/items", other).sign());
		Answer missing = get(this.first, "/api/items", "DPoP " + token,
				accessProof(key, "/api/items", token).claim("ath", null).sign());

		assertAccessRefused(wrong, "invalid_dpop_proof");
		assertAccessRefused(missing, "invalid_dpop_proof");
	}

	@Test
	void accessWhenBoundTokenSentAsBearerThenUnauthorizedInvalidToken() {
		KeyPair key = DpopProofs.es256();
		String token = loginBound(this.first, key).accessToken();

		Answer bare = get(this.second, "/api/items", "Bearer " + token, null);
		Answer withProof = get(this.second, "/api/items", "Bearer " + token,
				accessProof(key, "/api/items", token).sign());

		assertAccessRefused(bare, "invalid_token");
		assertAccessRefused(withProof, "invalid_token");
	}

	@Test
	void accessWhenDpopSchemeWithoutProofThenUnauthorized() {
		String token = loginBound(this.first, DpopProofs.es256()).accessToken();

		assertAccessRefused(get(this.first, "/api/items", "DPoP " + token, null), "invalid_dpop_proof");
	}

	@Test
	void accessWhenProofReplayedOnTheSameInstanceThenUnauthorized() {
		KeyPair key = DpopProofs.es256();
		String token = loginBound(this.first, key).accessToken();
		String proof = accessProof(key, "/api/items", token).sign();
		assertThat(get(this.first, "/api/items", "DPoP " + token, proof).status()).isEqualTo(200);
		forgetRequests();

		Answer replay = get(this.first, "/api/items", "DPoP " + token, proof);

		assertAccessRefused(replay, "invalid_dpop_proof");
	}

	/**
	 * The documented trade of {@code access-replay: instance} (the default): each
	 * instance remembers the proofs it has seen in its own memory, so that a resource
	 * request costs no Redis call. A proof replayed on ANOTHER instance within its
	 * acceptance window ({@code proof-max-age} plus skew, a minute by default) is
	 * therefore accepted once there: the attacker gets the very same request (same
	 * method, URL and token) once more per instance, and nothing else. Each instance
	 * still refuses it a second time. {@code access-replay: shared} closes it (see
	 * {@link DpopStrictIT}).
	 */
	@Test
	void accessWhenProofReplayedOnTheOtherInstanceThenAcceptedOnceThereWithinTheWindowByDefault() {
		KeyPair key = DpopProofs.es256();
		String token = loginBound(this.first, key).accessToken();
		String proof = accessProof(key, "/api/items", token).sign();
		Map<String, Long> redisBefore = redisCommands();

		assertThat(get(this.first, "/api/items", "DPoP " + token, proof).status()).isEqualTo(200);
		assertThat(get(this.second, "/api/items", "DPoP " + token, proof).status())
			.as("the replay on the other instance: accepted, the documented trade")
			.isEqualTo(200);
		assertThat(upstreamRequests()).hasSize(2);
		forgetRequests();
		assertAccessRefused(get(this.second, "/api/items", "DPoP " + token, proof), "invalid_dpop_proof");
		assertAccessRefused(get(this.first, "/api/items", "DPoP " + token, proof), "invalid_dpop_proof");
		assertThat(redisCommands()).as("Redis calls on the access path").isEqualTo(redisBefore);
	}

	@Test
	void accessWhenRouteRequiresDpopAndTokenIsBearerThenUnauthorizedWithDpopChallenge() {
		Answer bearer = login(this.first, null);
		assertThat(bearer.json()).containsEntry("tokenType", "Bearer");
		KeyPair key = DpopProofs.es256();
		String bound = loginBound(this.first, key).accessToken();

		Answer refused = get(this.second, "/dpop-only/api/items", "Bearer " + bearer.accessToken(), null);
		assertProblem(refused, 401, "invalid_token");
		assertThat(dpopChallenge(refused)).contains("algs=");
		assertThat(upstreamRequests()).as("requests upstream").isEmpty();

		assertThat(access(this.second, "/dpop-only/api/items", bound, key).status()).isEqualTo(200);
		assertThat(upstreamRequests()).singleElement()
			.satisfies((request) -> assertThat(request.getUrl()).isEqualTo("/api/items"));
	}

	@Test
	void accessWhenNoTokenThenTheContractsBearerChallengeAndOnADpopRouteTheDpopChallenge() {
		Answer answer = get(this.first, "/api/items", null, null);

		assertProblem(answer, 401, "invalid_token");
		assertThat(answer.headers().getOrEmpty(HttpHeaders.WWW_AUTHENTICATE))
			.containsExactly("Bearer realm=\"tollgate\"");
		Answer dpopOnly = get(this.first, "/dpop-only/api/items", null, null);
		assertProblem(dpopOnly, 401, "invalid_token");
		assertThat(dpopOnly.headers().getOrEmpty(HttpHeaders.WWW_AUTHENTICATE)).singleElement()
			.satisfies((value) -> assertThat(value).startsWith("DPoP algs=").doesNotContain("error="));
		assertThat(upstreamRequests()).isEmpty();
	}

	@Test
	void refreshWhenBoundSessionAndProofBySameKeyThenRotatedAndStillBound() {
		KeyPair key = DpopProofs.ed25519();
		Answer login = loginBound(this.first, key);

		Answer rotated = refresh(this.second, login.refreshToken(), refreshProof(key).sign());

		assertBoundTo(rotated, key);
		assertThat(rotated.refreshToken()).isNotEqualTo(login.refreshToken());
		assertThat(claims(rotated.accessToken())).containsEntry("sid", claims(login.accessToken()).get("sid"));
		assertThat(access(this.first, "/api/items", rotated.accessToken(), key).status()).isEqualTo(200);
	}

	/**
	 * A stolen refresh token of a bound session is worth nothing without the key: without
	 * a proof, or with a proof by the thief's own key, {@code invalid_grant} and the
	 * store unchanged. Under the binding policy {@code audit} (the default) the session
	 * goes on for its owner.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "no proof", "a proof by another key" })
	void refreshWhenBoundSessionWithoutItsKeyThenInvalidGrantAndNothingRotated(String how) {
		KeyPair key = DpopProofs.es256();
		Answer login = loginBound(this.first, key);
		Map<String, String> sessions = storedSessions();
		String proof = "no proof".equals(how) ? null : refreshProof(DpopProofs.es256()).sign();

		Answer stolen = refresh(this.second, login.refreshToken(), proof);

		assertProblem(stolen, 401, "invalid_grant");
		assertThat(stolen.body()).doesNotContain("refreshToken");
		assertThat(storedSessions()).as("the session after the refused refresh").isEqualTo(sessions);
		assertBoundTo(refresh(this.first, login.refreshToken(), refreshProof(key).sign()), key);
	}

	@Test
	void accessWhenForwardedHeadersAndNoTrustedProxyThenTheyAreIgnored() {
		KeyPair key = DpopProofs.es256();
		String token = loginBound(this.first, key).accessToken();
		String publicUrl = "https://api.example.com/api/items";

		Answer forged = get(this.first, "/api/items", "DPoP " + token,
				DpopProofs.proof(key).htm("GET").htu(publicUrl).ath(token).sign(), DpopIT::forwardedByAProxy);
		assertAccessRefused(forged, "invalid_dpop_proof");

		Answer real = get(this.first, "/api/items", "DPoP " + token, accessProof(key, "/api/items", token).sign(),
				DpopIT::forwardedByAProxy);
		assertThat(real.status()).as(real.body()).isEqualTo(200);
	}

	static void forwardedByAProxy(HttpHeaders headers) {
		headers.set("X-Forwarded-Proto", "https");
		headers.set("X-Forwarded-Host", "api.example.com");
	}

	@Test
	void accessWhenRouteStripsThePrefixThenTheProofIsForTheUrlTheClientUsed() {
		KeyPair key = DpopProofs.es256();
		String token = loginBound(this.first, key).accessToken();

		Answer used = access(this.second, "/strip/api/items", token, key);
		assertThat(used.status()).as(used.body()).isEqualTo(200);
		assertThat(upstreamRequests()).singleElement()
			.satisfies((request) -> assertThat(request.getUrl()).isEqualTo("/api/items"));
		forgetRequests();

		Answer upstreamPath = get(this.second, "/strip/api/items", "DPoP " + token,
				accessProof(key, "/api/items", token).sign());
		assertAccessRefused(upstreamPath, "invalid_dpop_proof");
	}

}
