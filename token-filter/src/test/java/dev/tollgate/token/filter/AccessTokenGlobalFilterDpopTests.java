package dev.tollgate.token.filter;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.tollgate.test.DpopProofBuilder;
import dev.tollgate.test.DpopProofs;
import dev.tollgate.test.MutableClock;
import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopNonces;
import dev.tollgate.token.dpop.DpopProof;
import dev.tollgate.token.dpop.DpopProofVerifier;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.DpopRequestUri;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.dpop.LocalDpopReplayGuard;
import dev.tollgate.token.dpop.NonceMode;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AccessTokenSettings;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.SigningAlgorithm;
import dev.tollgate.token.jwt.SigningKeys;
import dev.tollgate.token.jwt.ValidatedTokenCacheSettings;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import dev.tollgate.token.observe.AccessObserver;
import dev.tollgate.token.observe.AccessOutcome;
import dev.tollgate.token.observe.TokenRejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access check with DPoP (RFC 9449 §7) through real exchanges: the {@code DPoP}
 * scheme with its proof, every refusal answered with the DPoP challenge, and bearer
 * tokens where they are no longer enough.
 */
class AccessTokenGlobalFilterDpopTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private static final String URL = "https://api.example.com/orders/1";

	private static final String ALGS = "DPoP algs=\"ES256 EdDSA RS256 PS256\"";

	private static final AccessTokenSettings SETTINGS = new AccessTokenSettings("tollgate", "api",
			Duration.ofMinutes(15), Duration.ofSeconds(30));

	private static final SigningKeys KEYS = SigningKeys.ephemeral(SigningAlgorithm.EdDSA);

	private static final KeyPair EC = DpopProofs.es256();

	private final MutableClock clock = MutableClock.at(NOW);

	private final AccessTokenIssuer issuer = new AccessTokenIssuer(SETTINGS, KEYS, this.clock);

	private final List<TokenRejection> rejections = new ArrayList<>();

	private final AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

	private final GatewayFilterChain chain = (exchange) -> {
		this.forwarded.set(exchange);
		return Mono.empty();
	};

	private final DpopNonces nonces = new DpopNonces(
			"a nonce secret of 32 bytes......".getBytes(StandardCharsets.US_ASCII), Duration.ofMinutes(5), this.clock);

	private AccessTokenGlobalFilter filter = filter(NonceMode.OFF, null);

	private AccessTokenGlobalFilter filter(NonceMode nonce, DpopReplayGuard shared) {
		return filter(DpopMode.OPTIONAL, nonce, shared);
	}

	private AccessTokenGlobalFilter filter(DpopMode mode, NonceMode nonce, DpopReplayGuard shared) {
		DpopSettings settings = new DpopSettings(mode, nonce, DpopSettings.DEFAULTS.algorithms(),
				Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofMinutes(5), shared != null);
		DpopReplayGuard replay = (shared != null) ? shared
				: new LocalDpopReplayGuard(settings.replayTtl(), 1000, this.clock);
		AccessTokenAuthenticator authenticator = new AccessTokenAuthenticator(
				new AccessTokenVerifier(SETTINGS, new ValidatedTokenCacheSettings(1000), KEYS, this.clock),
				SessionRevocations.NONE, settings, new DpopProofVerifier(settings, this.nonces, this.clock),
				new DpopRequestUri(0, "auto"), replay);
		AccessObserver observer = new AccessObserver() {
			@Override
			public void accessChecked(String routeId, AccessOutcome outcome, TokenRejection rejection, long nanos) {
				AccessTokenGlobalFilterDpopTests.this.rejections.add(rejection);
			}
		};
		ProblemResponseWriter writer = new ProblemResponseWriter("tollgate",
				(mode != DpopMode.OFF) ? settings.challengeAlgorithms() : null);
		return new AccessTokenGlobalFilter(authenticator, writer, observer);
	}

	private String boundToken(KeyPair keys) {
		return this.issuer.issue("user-42", List.of("admin"), "family-7", DpopProofs.jkt(keys.getPublic())).value();
	}

	private String bearerToken() {
		return this.issuer.issue("user-42", List.of("admin"), "family-7").value();
	}

	private static DpopProofBuilder proof(KeyPair keys, String token) {
		return DpopProofs.proof(keys).htm("GET").htu(URL).iat(NOW).ath(token);
	}

	private static MockServerHttpRequest.BaseBuilder<?> dpopRequest(String token, String proof) {
		return MockServerHttpRequest.get(URL + "?page=2")
			.header(HttpHeaders.AUTHORIZATION, "DPoP " + token)
			.header("DPoP", proof);
	}

	private static Route route(Map<String, Object> metadata) {
		return Route.async()
			.id("orders")
			.uri(URI.create("http://orders.internal"))
			.predicate((exchange) -> true)
			.metadata(metadata)
			.build();
	}

	private MockServerWebExchange run(MockServerHttpRequest.BaseBuilder<?> request) {
		return run(request, route(Map.of()));
	}

	private MockServerWebExchange run(MockServerHttpRequest.BaseBuilder<?> request, Route route) {
		this.forwarded.set(null);
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, route);
		StepVerifier.create(this.filter.filter(exchange, this.chain)).verifyComplete();
		return exchange;
	}

	private VerifiedAccessToken assertAccepted(MockServerWebExchange exchange) {
		assertThat(this.forwarded.get()).as("forwarded").isNotNull();
		VerifiedAccessToken token = this.forwarded.get().getAttribute(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR);
		assertThat(token).isNotNull();
		assertThat(token.subject()).isEqualTo("user-42");
		assertThat(exchange.getResponse().getStatusCode()).isNull();
		assertThat(this.rejections).last().isEqualTo(TokenRejection.NONE);
		return token;
	}

	private void assertRefused(MockServerWebExchange exchange, String error, String description,
			TokenRejection rejection) {
		assertThat(this.forwarded.get()).as("not forwarded").isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE))
			.containsExactly(ALGS + ", error=\"" + error + "\", error_description=\"" + description + "\"");
		String body = exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5));
		assertThat(body).contains("\"error\":\"" + error + "\"").doesNotContain("eyJ");
		assertThat(this.rejections).last().isEqualTo(rejection);
	}

	@Test
	void filterWhenDpopTokenWithValidEs256ProofThenForwardedAsTheBoundUser() {
		String token = boundToken(EC);
		VerifiedAccessToken verified = assertAccepted(run(dpopRequest(token, proof(EC, token).sign())));
		assertThat(verified.keyThumbprint()).isEqualTo(DpopProofs.jkt(EC.getPublic()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "EdDSA", "RS256", "PS256" })
	void filterWhenProofOfAnotherAcceptedAlgorithmThenForwarded(String alg) {
		KeyPair keys = "EdDSA".equals(alg) ? DpopProofs.ed25519() : DpopProofs.rsa2048();
		String token = boundToken(keys);
		assertAccepted(run(dpopRequest(token, proof(keys, token).alg(alg).sign())));
	}

	@Test
	void filterWhenProofReplayedOnTheSameInstanceThenRefused() {
		String token = boundToken(EC);
		String proof = proof(EC, token).sign();
		assertAccepted(run(dpopRequest(token, proof)));
		assertRefused(run(dpopRequest(token, proof)), "invalid_dpop_proof", "DPoP proof replayed",
				TokenRejection.DPOP_REPLAY);
	}

	@Test
	void filterWhenProofForAnotherMethodThenRefused() {
		String token = boundToken(EC);
		assertRefused(run(dpopRequest(token, proof(EC, token).htm("DELETE").sign())), "invalid_dpop_proof",
				"DPoP proof htm does not match the request", TokenRejection.DPOP_PROOF_INVALID);
	}

	@Test
	void filterWhenProofForAnotherUrlThenRefused() {
		String token = boundToken(EC);
		assertRefused(run(dpopRequest(token, proof(EC, token).htu("https://api.example.com/orders/2").sign())),
				"invalid_dpop_proof", "DPoP proof htu does not match the request", TokenRejection.DPOP_PROOF_INVALID);
	}

	@Test
	void filterWhenProofExpiredOrFromTheFutureThenRefused() {
		String token = boundToken(EC);
		assertRefused(run(dpopRequest(token, proof(EC, token).iat(NOW.minusSeconds(120)).sign())), "invalid_dpop_proof",
				"DPoP proof expired", TokenRejection.DPOP_PROOF_INVALID);
		assertRefused(run(dpopRequest(token, proof(EC, token).iat(NOW.plusSeconds(60)).sign())), "invalid_dpop_proof",
				"DPoP proof issued in the future", TokenRejection.DPOP_PROOF_INVALID);
	}

	@Test
	void filterWhenProofSignedByAnotherKeyThanCnfJktThenRefused() {
		String token = boundToken(EC);
		KeyPair other = DpopProofs.es256();
		assertRefused(run(dpopRequest(token, proof(other, token).sign())), "invalid_dpop_proof",
				"DPoP proof key does not match the token", TokenRejection.DPOP_KEY_MISMATCH);
	}

	@Test
	void filterWhenProofHashesAnotherTokenThenRefused() {
		String token = boundToken(EC);
		assertRefused(run(dpopRequest(token, proof(EC, boundToken(EC) + "x").sign())), "invalid_dpop_proof",
				"DPoP proof ath does not match the access token", TokenRejection.DPOP_PROOF_INVALID);
	}

	@Test
	void filterWhenJwkCarriesThePrivateKeyThenRefused() {
		String token = boundToken(EC);
		assertRefused(run(dpopRequest(token, proof(EC, token).privateKeyInJwk().sign())), "invalid_dpop_proof",
				"DPoP proof jwk is not an accepted public key", TokenRejection.DPOP_PROOF_INVALID);
	}

	@Test
	void filterWhenAlgNoneOrHs256ThenRefused() {
		String token = boundToken(EC);
		assertRefused(run(dpopRequest(token, proof(EC, token).algNone().sign())), "invalid_dpop_proof",
				"DPoP proof algorithm not accepted", TokenRejection.DPOP_PROOF_INVALID);
		assertRefused(
				run(dpopRequest(token,
						proof(EC, token).hs256("a shared secret of 32 bytes.....".getBytes(StandardCharsets.US_ASCII))
							.sign())),
				"invalid_dpop_proof", "DPoP proof algorithm not accepted", TokenRejection.DPOP_PROOF_INVALID);
	}

	@Test
	void filterWhenBoundTokenSentAsBearerThenRefusedWithDpopChallenge() {
		String token = boundToken(EC);
		assertRefused(run(MockServerHttpRequest.get(URL).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)),
				"invalid_token", "DPoP-bound token sent as Bearer", TokenRejection.DPOP_BEARER_DOWNGRADE);
		assertRefused(
				run(MockServerHttpRequest.get(URL)
					.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
					.header("DPoP", proof(EC, token).sign())),
				"invalid_token", "DPoP-bound token sent as Bearer", TokenRejection.DPOP_BEARER_DOWNGRADE);
	}

	@Test
	void filterWhenProofMissingThenRefused() {
		String token = boundToken(EC);
		assertRefused(run(MockServerHttpRequest.get(URL).header(HttpHeaders.AUTHORIZATION, "DPoP " + token)),
				"invalid_dpop_proof", "DPoP proof required", TokenRejection.DPOP_PROOF_MISSING);
	}

	@Test
	void filterWhenTwoProofsThenRefused() {
		String token = boundToken(EC);
		assertRefused(run(dpopRequest(token, proof(EC, token).sign()).header("DPoP", proof(EC, token).sign())),
				"invalid_dpop_proof", "more than one DPoP header", TokenRejection.DPOP_PROOF_INVALID);
	}

	@Test
	void filterWhenDpopSchemeWithAnUnboundTokenThenRefused() {
		String token = bearerToken();
		assertRefused(run(dpopRequest(token, proof(EC, token).sign())), "invalid_token", "access token not DPoP-bound",
				TokenRejection.DPOP_KEY_MISMATCH);
	}

	@Test
	void filterWhenDpopSchemeWithAnExpiredTokenThenInvalidTokenWithDpopChallenge() {
		String token = boundToken(EC);
		this.clock.advance(Duration.ofMinutes(20));
		assertRefused(run(dpopRequest(token, proof(EC, token).iat(this.clock.instant()).sign())), "invalid_token",
				"token expired", TokenRejection.EXPIRED);
	}

	@Test
	void filterWhenNonceRequiredAndMissingThenUseDpopNonceWithTheNonceHeader() {
		this.filter = filter(NonceMode.ALWAYS, null);
		String token = boundToken(EC);
		MockServerWebExchange exchange = run(dpopRequest(token, proof(EC, token).sign()));
		assertRefused(exchange, "use_dpop_nonce", "DPoP nonce required", TokenRejection.DPOP_NONCE);
		assertThat(exchange.getResponse().getHeaders().get("DPoP-Nonce")).containsExactly(this.nonces.current());
	}

	@Test
	void filterWhenNonceStaleThenUseDpopNonceAndWhenCurrentThenForwardedWithANonce() {
		this.filter = filter(NonceMode.ALWAYS, null);
		String stale = this.nonces.current();
		this.clock.advance(Duration.ofMinutes(10));
		String token = boundToken(EC);
		Instant now = this.clock.instant();
		MockServerWebExchange refused = run(dpopRequest(token, proof(EC, token).iat(now).nonce(stale).sign()));
		assertRefused(refused, "use_dpop_nonce", "DPoP nonce required", TokenRejection.DPOP_NONCE);
		String fresh = refused.getResponse().getHeaders().getFirst("DPoP-Nonce");
		assertThat(fresh).isNotEqualTo(stale);
		MockServerWebExchange accepted = run(dpopRequest(token, proof(EC, token).iat(now).nonce(fresh).sign()));
		assertAccepted(accepted);
		assertThat(accepted.getResponse().getHeaders().get("DPoP-Nonce")).containsExactly(fresh);
	}

	@Test
	void filterWhenNoncesAtTheTokenEndpointOnlyThenNotAskedHereButHandedOut() {
		this.filter = filter(NonceMode.TOKEN_ENDPOINT, null);
		String token = boundToken(EC);
		MockServerWebExchange exchange = run(dpopRequest(token, proof(EC, token).sign()));
		assertAccepted(exchange);
		assertThat(exchange.getResponse().getHeaders().get("DPoP-Nonce")).containsExactly(this.nonces.current());
	}

	@Test
	void filterWhenNoncesOffThenNoNonceHeader() {
		String token = boundToken(EC);
		MockServerWebExchange exchange = run(dpopRequest(token, proof(EC, token).sign()));
		assertAccepted(exchange);
		assertThat(exchange.getResponse().getHeaders().containsHeader("DPoP-Nonce")).isFalse();
	}

	@Test
	void filterWhenRouteRequiresDpopAndBearerTokenThenRefusedAndBoundTokenAccepted() {
		Route route = route(Map.of(AccessTokenGlobalFilter.DPOP_METADATA, "required"));
		assertRefused(
				run(MockServerHttpRequest.get(URL).header(HttpHeaders.AUTHORIZATION, "Bearer " + bearerToken()), route),
				"invalid_token", "DPoP-bound token required", TokenRejection.DPOP_REQUIRED);
		String token = boundToken(EC);
		assertAccepted(run(dpopRequest(token, proof(EC, token).sign()), route));
	}

	@Test
	void filterWhenBearerTokenOnAnOrdinaryRouteThenStillAccepted() {
		MockServerWebExchange exchange = run(
				MockServerHttpRequest.get(URL).header(HttpHeaders.AUTHORIZATION, "Bearer " + bearerToken()));
		assertThat(assertAccepted(exchange).keyThumbprint()).isNull();
	}

	@Test
	void filterWhenNoTokenThenTheContractsBearerChallengeAlone() {
		MockServerWebExchange exchange = run(MockServerHttpRequest.get(URL));
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE))
			.containsExactly("Bearer realm=\"tollgate\"");
		assertThat(this.rejections).last().isEqualTo(TokenRejection.MISSING);
	}

	@Test
	void filterWhenNoTokenOnARouteRequiringDpopThenTheDpopChallengeAlone() {
		Route route = route(Map.of(AccessTokenGlobalFilter.DPOP_METADATA, "required"));
		MockServerWebExchange exchange = run(MockServerHttpRequest.get(URL), route);
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE)).containsExactly(ALGS);
		assertThat(this.rejections).last().isEqualTo(TokenRejection.MISSING);
	}

	@Test
	void filterWhenDpopOffThenDpopSchemeIsNoTokenAndBearerChallengeOnly() {
		this.filter = filter(DpopMode.OFF, NonceMode.OFF, null);
		String token = boundToken(EC);
		MockServerWebExchange exchange = run(dpopRequest(token, proof(EC, token).sign()));
		assertThat(this.forwarded.get()).isNull();
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE))
			.containsExactly("Bearer realm=\"tollgate\"");
		assertThat(this.rejections).last().isEqualTo(TokenRejection.MISSING);
	}

	@Test
	void filterWhenInvalidProofOnAPublicRouteThenAnonymous() {
		String token = boundToken(EC);
		run(dpopRequest(token, proof(EC, token).htm("POST").sign()), route(Map.of("auth", "public")));
		assertThat(this.forwarded.get()).isNotNull();
		assertThat(this.forwarded.get().getAttributes()).doesNotContainKey(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR);
		assertThat(this.rejections).last().isEqualTo(TokenRejection.DPOP_PROOF_INVALID);
	}

	@Test
	void filterWhenSharedReplayGuardThenCheckedThereAndReplayRefused() {
		List<String> seen = new ArrayList<>();
		DpopReplayGuard shared = (DpopProof proof) -> Mono
			.fromSupplier(() -> !seen.contains(proof.replayKey()) && seen.add(proof.replayKey()));
		this.filter = filter(NonceMode.OFF, shared);
		String token = boundToken(EC);
		String proof = proof(EC, token).sign();
		assertAccepted(run(dpopRequest(token, proof)));
		assertThat(seen).hasSize(1);
		assertRefused(run(dpopRequest(token, proof)), "invalid_dpop_proof", "DPoP proof replayed",
				TokenRejection.DPOP_REPLAY);
	}

	@Test
	void filterWhenSharedReplayGuardAndTheChainFailsThenTheErrorIsNotAnsweredAsARefusal() {
		DpopReplayGuard shared = (DpopProof proof) -> Mono.just(true);
		this.filter = filter(NonceMode.OFF, shared);
		String token = boundToken(EC);
		MockServerWebExchange exchange = MockServerWebExchange.from(dpopRequest(token, proof(EC, token).sign()));
		exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, route(Map.of()));
		RuntimeException failure = new IllegalStateException("upstream");
		StepVerifier.create(this.filter.filter(exchange, (forwarded) -> Mono.error(failure)))
			.verifyErrorMatches((ex) -> ex == failure);
	}

	@Test
	void authenticateWhenDpopRequestThenMonoOfTheBoundIdentity() {
		DpopSettings settings = DpopSettings.DEFAULTS;
		AccessTokenAuthenticator authenticator = new AccessTokenAuthenticator(
				new AccessTokenVerifier(SETTINGS, new ValidatedTokenCacheSettings(1000), KEYS, this.clock),
				SessionRevocations.NONE, settings, new DpopProofVerifier(settings, null, this.clock),
				new DpopRequestUri(0, "auto"), new LocalDpopReplayGuard(settings.replayTtl(), 100, this.clock));
		String token = boundToken(EC);
		MockServerHttpRequest request = dpopRequest(token, proof(EC, token).sign()).build();
		StepVerifier.create(authenticator.authenticate(request))
			.assertNext((verified) -> assertThat(verified.keyThumbprint()).isEqualTo(DpopProofs.jkt(EC.getPublic())))
			.verifyComplete();
		StepVerifier.create(authenticator.authenticate(request))
			.verifyErrorSatisfies((ex) -> assertThat(ex).hasMessageContaining("DPoP proof replayed"));
		StepVerifier.create(authenticator.authenticate(MockServerHttpRequest.get(URL).build())).verifyComplete();
	}

}
