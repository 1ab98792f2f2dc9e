package dev.tollgate.routes.endpoint;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.TestTokens;
import dev.tollgate.routes.client.BindingSettings;
import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.client.ClientBindingResolver;
import dev.tollgate.routes.http.BodyReader;
import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.routes.http.TokenResponses;
import dev.tollgate.routes.observe.AuditLog;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.observe.RecordingAuthCounters;
import dev.tollgate.routes.observe.RefreshOutcome;
import dev.tollgate.routes.session.IssuedRefreshToken;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.UnavailableStore;
import dev.tollgate.routes.session.memory.InMemoryRefreshTokenStore;
import dev.tollgate.test.DpopProofs;
import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.dpop.NonceMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AuthEndpoints}: refresh and logout, on a memory store, each answer as the client
 * sees it.
 */
class AuthEndpointsTests {

	private static final CookieSettings BODY_MODE = new CookieSettings(false, "__Secure-tollgate-refresh", "/auth",
			List.of());

	private static final CookieSettings COOKIE_MODE = new CookieSettings(true, "__Secure-tollgate-refresh", "/auth",
			List.of("https://app.example.com"));

	private final RecordingAuthCounters counters = new RecordingAuthCounters();

	private final AuditLog audit = new AuditLog((event) -> {
	});

	private final AuthEvents events = new AuthEvents(this.audit, this.counters);

	private final RefreshTokenStore store = new InMemoryRefreshTokenStore(new RefreshTokenCodec(),
			new SessionSettings(Duration.ofDays(7), Duration.ofDays(30), Duration.ZERO, 50, BindingSettings.OFF),
			TestTokens.CLOCK);

	@AfterEach
	void close() {
		this.audit.close();
	}

	private AuthEndpoints endpoints(RefreshTokenStore store, CookieSettings cookie) {
		ClientAddressResolver clients = new ClientAddressResolver(0);
		return new AuthEndpoints(store, new TokenResponses(TestTokens.ISSUER, cookie, TestTokens.CLOCK),
				TestTokens.WRITER, this.events, clients, cookie, new BodyReader(Duration.ofSeconds(1)),
				new ClientBindingResolver(BindingSettings.OFF, clients));
	}

	private IssuedRefreshToken login(String userId) {
		return this.store.create(userId, List.of("user")).block(Duration.ofSeconds(5));
	}

	private static MockServerWebExchange post(String path, String json) {
		return MockServerWebExchange
			.from(MockServerHttpRequest.post(path).contentType(MediaType.APPLICATION_JSON).body(json));
	}

	private static String body(String refreshToken) {
		return "{\"refreshToken\":\"" + refreshToken + "\"}";
	}

	private static JsonNode json(MockServerWebExchange exchange) {
		return JsonMapper.shared().readTree(Handlers.body(exchange));
	}

	@Test
	void refreshWhenCurrentTokenThenNewPairNeverCachedAndCountedRotated() {
		IssuedRefreshToken login = login("alice");

		MockServerWebExchange exchange = Handlers.handle(endpoints(this.store, BODY_MODE)::refresh,
				post("/auth/refresh", body(login.value())));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(exchange.getResponse().getHeaders().getCacheControl()).isEqualTo("no-store");
		JsonNode answer = json(exchange);
		assertThat(answer.get("tokenType").stringValue()).isEqualTo("Bearer");
		assertThat(answer.get("accessToken").stringValue()).isNotEmpty();
		assertThat(answer.get("refreshToken").stringValue()).startsWith(login.session().id() + ".")
			.isNotEqualTo(login.value());
		assertThat(this.counters.refreshes()).containsExactly(RefreshOutcome.ROTATED);
	}

	@Test
	void refreshWhenSpentTokenThenInvalidGrantAndTheSessionEnds() {
		IssuedRefreshToken login = login("alice");
		Rotation rotated = this.store.rotate(login.value()).block(Duration.ofSeconds(5));

		MockServerWebExchange exchange = Handlers.handle(endpoints(this.store, BODY_MODE)::refresh,
				post("/auth/refresh", body(login.value())));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(json(exchange).get("error").stringValue()).isEqualTo("invalid_grant");
		assertThat(this.counters.refreshes()).containsExactly(RefreshOutcome.REUSED);
		assertThat(this.store.rotate(rotated.token().value()).block(Duration.ofSeconds(5)).outcome())
			.isEqualTo(Rotation.Outcome.INVALID);
	}

	@Test
	void refreshWhenBodyIsNotJsonThenInvalidRequestAndCountedMalformed() {
		MockServerWebExchange exchange = Handlers.handle(endpoints(this.store, BODY_MODE)::refresh,
				MockServerWebExchange
					.from(MockServerHttpRequest.post("/auth/refresh").contentType(MediaType.TEXT_PLAIN).body("token")));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(json(exchange).get("error").stringValue()).isEqualTo("invalid_request");
		assertThat(this.counters.refreshes()).containsExactly(RefreshOutcome.MALFORMED);
	}

	@Test
	void refreshWhenBodyAnnouncedLargerThanAllowedThen413WithoutReadingIt() {
		MockServerWebExchange exchange = Handlers.handle(endpoints(this.store, BODY_MODE)::refresh,
				MockServerWebExchange.from(MockServerHttpRequest.post("/auth/refresh")
					.contentType(MediaType.APPLICATION_JSON)
					.contentLength(PresentedRefreshToken.MAX_BODY_BYTES + 1)
					.body("{}")));

		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(413);
		assertThat(this.counters.refreshes()).containsExactly(RefreshOutcome.MALFORMED);
	}

	@Test
	void refreshWhenCookieModeThenTheTokenFromTheCookieAndItsSuccessorOnlyInASetCookie() {
		IssuedRefreshToken login = login("alice");

		MockServerWebExchange exchange = Handlers.handle(endpoints(this.store, COOKIE_MODE)::refresh,
				MockServerWebExchange.from(MockServerHttpRequest.post("/auth/refresh")
					.header(HttpHeaders.ORIGIN, "https://app.example.com")
					.cookie(new HttpCookie(COOKIE_MODE.name(), login.value()))));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(json(exchange).has("refreshToken")).isFalse();
		String cookie = exchange.getResponse().getHeaders().getFirst(HttpHeaders.SET_COOKIE);
		assertThat(cookie).startsWith(COOKIE_MODE.name() + "=" + login.session().id() + ".")
			.doesNotContain(login.value())
			.contains("Path=/auth", "Secure", "HttpOnly", "SameSite=Strict");
	}

	@Test
	void refreshWhenCookieModeAndAnotherSiteThenAccessDeniedAndNothingRotated() {
		IssuedRefreshToken login = login("alice");

		MockServerWebExchange exchange = Handlers.handle(endpoints(this.store, COOKIE_MODE)::refresh,
				MockServerWebExchange.from(MockServerHttpRequest.post("/auth/refresh")
					.header("Sec-Fetch-Site", "cross-site")
					.cookie(new HttpCookie(COOKIE_MODE.name(), login.value()))));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(json(exchange).get("error").stringValue()).isEqualTo("access_denied");
		assertThat(this.counters.refreshes()).containsExactly(RefreshOutcome.DENIED);
		assertThat(this.store.rotate(login.value()).block(Duration.ofSeconds(5)).outcome())
			.isEqualTo(Rotation.Outcome.ROTATED);
	}

	@Test
	void refreshWhenStoreUnavailableThen503AndCountedUnavailable() {
		MockServerWebExchange exchange = Handlers.handle(endpoints(new UnavailableStore(), BODY_MODE)::refresh,
				post("/auth/refresh", body("anything")));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(json(exchange).get("error").stringValue()).isEqualTo("temporarily_unavailable");
		assertThat(this.counters.refreshes()).containsExactly(RefreshOutcome.UNAVAILABLE);
	}

	@Test
	void logoutWhenTokenOfALiveSessionThen204AndTheSessionEnds() {
		IssuedRefreshToken login = login("alice");

		MockServerWebExchange exchange = Handlers.handle(endpoints(this.store, BODY_MODE)::logout,
				post("/auth/logout", body(login.value())));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(this.counters.logouts()).containsExactly("session revoked");
		assertThat(this.store.sessions("alice").block(Duration.ofSeconds(5))).isEmpty();
	}

	@Test
	void logoutWhenUnknownTokenThen204AndCountedUnknown() {
		MockServerWebExchange exchange = Handlers.handle(endpoints(this.store, BODY_MODE)::logout,
				post("/auth/logout", body("not-a-token")));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(this.counters.logouts()).containsExactly("session unknown");
	}

	@Test
	void logoutWhenScopeAllThenEverySessionOfTheUserEnds() {
		IssuedRefreshToken phone = login("alice");
		login("alice");

		MockServerWebExchange exchange = Handlers.handle(endpoints(this.store, BODY_MODE)::logout,
				post("/auth/logout?scope=all", body(phone.value())));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(this.counters.logouts()).containsExactly("all revoked");
		assertThat(this.store.sessions("alice").block(Duration.ofSeconds(5))).isEmpty();
	}

	@Test
	void logoutWhenScopeIsNeitherSessionNorAllThenInvalidRequestAndNothingEnds() {
		IssuedRefreshToken login = login("alice");

		MockServerWebExchange exchange = Handlers.handle(endpoints(this.store, BODY_MODE)::logout,
				post("/auth/logout?scope=everything", body(login.value())));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(this.store.sessions("alice").block(Duration.ofSeconds(5))).hasSize(1);
	}

	@Test
	void logoutWhenCookieModeThenTheCookieIsCleared() {
		IssuedRefreshToken login = login("alice");

		MockServerWebExchange exchange = Handlers.handle(endpoints(this.store, COOKIE_MODE)::logout,
				MockServerWebExchange.from(MockServerHttpRequest.post("/auth/logout")
					.cookie(new HttpCookie(COOKIE_MODE.name(), login.value()))));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.SET_COOKIE))
			.startsWith(COOKIE_MODE.name() + "=;")
			.contains("Max-Age=0", "Path=/auth");
	}

	// ---- DPoP (RFC 9449 §5)

	private static final String REFRESH = "https://gw.example/auth/refresh";

	private final KeyPair keys = DpopProofs.es256();

	private final DpopReplayGuard replay = TestTokens.localReplayGuard();

	private AuthEndpoints dpopEndpoints(RefreshTokenStore store, NonceMode nonce) {
		ClientAddressResolver clients = new ClientAddressResolver(0);
		return new AuthEndpoints(store, new TokenResponses(TestTokens.ISSUER, BODY_MODE, TestTokens.CLOCK),
				TestTokens.WRITER, this.events, clients, BODY_MODE, new BodyReader(Duration.ofSeconds(1)),
				new ClientBindingResolver(BindingSettings.OFF, clients),
				TestTokens.tokenEndpointProof(TestTokens.dpop(DpopMode.OPTIONAL, nonce), this.replay));
	}

	private IssuedRefreshToken boundLogin(RefreshTokenStore store, String userId) {
		return store.create(userId, List.of("user"), ClientBinding.NONE, DpopProofs.jkt(this.keys.getPublic()))
			.block(Duration.ofSeconds(5));
	}

	private static MockServerWebExchange refresh(String refreshToken, String... proofs) {
		return MockServerWebExchange.from(MockServerHttpRequest.post(REFRESH)
			.header("DPoP", proofs)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body(refreshToken)));
	}

	private String proof(KeyPair keys) {
		return DpopProofs.proof(keys).htm("POST").htu(REFRESH).sign();
	}

	private Rotation.Outcome rotateWithTheKey(RefreshTokenStore store, String refreshToken) {
		return store.rotate(refreshToken, ClientBinding.NONE, DpopProofs.jkt(this.keys.getPublic()))
			.block(Duration.ofSeconds(5))
			.outcome();
	}

	@Test
	void refreshWhenBoundAndAProofByItsKeyThenDpopTokensBoundToTheSameKey() {
		IssuedRefreshToken login = boundLogin(this.store, "alice");

		MockServerWebExchange exchange = Handlers.handle(dpopEndpoints(this.store, NonceMode.OFF)::refresh,
				refresh(login.value(), proof(this.keys)));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode answer = json(exchange);
		assertThat(answer.get("tokenType").stringValue()).isEqualTo("DPoP");
		assertThat(TestTokens.verify(answer.get("accessToken").stringValue()).keyThumbprint())
			.isEqualTo(DpopProofs.jkt(this.keys.getPublic()));
		assertThat(rotateWithTheKey(this.store, answer.get("refreshToken").stringValue()))
			.isEqualTo(Rotation.Outcome.ROTATED);
		assertThat(this.counters.refreshes()).containsExactly(RefreshOutcome.ROTATED);
	}

	@Test
	void refreshWhenBoundAndNoProofThen400InvalidGrantAndNothingRotated() {
		IssuedRefreshToken login = boundLogin(this.store, "alice");

		MockServerWebExchange exchange = Handlers.handle(dpopEndpoints(this.store, NonceMode.OFF)::refresh,
				refresh(login.value()));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(json(exchange).get("error").stringValue()).isEqualTo("invalid_grant");
		assertThat(this.counters.refreshes()).containsExactly(RefreshOutcome.DPOP_KEY_MISMATCH);
		// not consumed: the key's holder still rotates it
		assertThat(rotateWithTheKey(this.store, login.value())).isEqualTo(Rotation.Outcome.ROTATED);
	}

	@Test
	void refreshWhenBoundAndAProofByAnotherKeyUnderEnforceThen400AndTheSessionEnded() {
		RefreshTokenStore enforcing = new InMemoryRefreshTokenStore(new RefreshTokenCodec(),
				new SessionSettings(Duration.ofDays(7), Duration.ofDays(30), Duration.ZERO, 50,
						new BindingSettings(List.of("user-agent"), "X-Device-Id", true)),
				TestTokens.CLOCK);
		IssuedRefreshToken login = boundLogin(enforcing, "alice");

		MockServerWebExchange exchange = Handlers.handle(dpopEndpoints(enforcing, NonceMode.OFF)::refresh,
				refresh(login.value(), proof(DpopProofs.es256())));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(json(exchange).get("error").stringValue()).isEqualTo("invalid_grant");
		assertThat(json(exchange).get("detail").stringValue()).endsWith("session revoked");
		assertThat(this.counters.refreshes()).containsExactly(RefreshOutcome.DPOP_KEY_MISMATCH);
		assertThat(rotateWithTheKey(enforcing, login.value())).isEqualTo(Rotation.Outcome.INVALID);
		assertThat(enforcing.sessions("alice").block(Duration.ofSeconds(5))).isEmpty();
	}

	@Test
	void refreshWhenTheProofIsInvalidThen400BeforeTheStoreIsTouched() {
		IssuedRefreshToken login = boundLogin(this.store, "alice");
		String forLogout = DpopProofs.proof(this.keys).htm("POST").htu("https://gw.example/auth/logout").sign();

		MockServerWebExchange exchange = Handlers.handle(dpopEndpoints(this.store, NonceMode.OFF)::refresh,
				refresh(login.value(), forLogout));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(json(exchange).get("error").stringValue()).isEqualTo("invalid_dpop_proof");
		assertThat(this.counters.refreshes()).containsExactly(RefreshOutcome.DPOP_PROOF_INVALID);
		assertThat(rotateWithTheKey(this.store, login.value())).isEqualTo(Rotation.Outcome.ROTATED);
	}

	@Test
	void refreshWhenTheProofIsInvalidThenTheStoreIsNeverCalled() {
		MockServerWebExchange exchange = Handlers.handle(dpopEndpoints(new UnavailableStore(), NonceMode.OFF)::refresh,
				refresh(login("alice").value(), "a.b.c"));

		// an unavailable store would have answered 503
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void refreshWhenTheProofIsReplayedThen400AndNothingRotated() {
		IssuedRefreshToken login = boundLogin(this.store, "alice");
		String proof = proof(this.keys);
		MockServerWebExchange first = Handlers.handle(dpopEndpoints(this.store, NonceMode.OFF)::refresh,
				refresh(login.value(), proof));
		String successor = json(first).get("refreshToken").stringValue();

		MockServerWebExchange replayed = Handlers.handle(dpopEndpoints(this.store, NonceMode.OFF)::refresh,
				refresh(successor, proof));

		assertThat(replayed.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(json(replayed).get("error").stringValue()).isEqualTo("invalid_dpop_proof");
		assertThat(this.counters.refreshes()).containsExactly(RefreshOutcome.ROTATED, RefreshOutcome.DPOP_REPLAY);
		assertThat(rotateWithTheKey(this.store, successor)).isEqualTo(Rotation.Outcome.ROTATED);
	}

	@Test
	void refreshWhenNoncesAndNoneInTheProofThenUseDpopNonceAndWithItTheNonceOnTheAnswer() {
		IssuedRefreshToken login = boundLogin(this.store, "alice");
		DpopSettings settings = TestTokens.dpop(DpopMode.OPTIONAL, NonceMode.TOKEN_ENDPOINT);
		String nonce = TestTokens.nonces(settings).current();

		MockServerWebExchange first = Handlers.handle(dpopEndpoints(this.store, NonceMode.TOKEN_ENDPOINT)::refresh,
				refresh(login.value(), proof(this.keys)));
		MockServerWebExchange second = Handlers.handle(dpopEndpoints(this.store, NonceMode.TOKEN_ENDPOINT)::refresh,
				refresh(login.value(), DpopProofs.proof(this.keys).htm("POST").htu(REFRESH).nonce(nonce).sign()));

		assertThat(first.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(json(first).get("error").stringValue()).isEqualTo("use_dpop_nonce");
		assertThat(first.getResponse().getHeaders().getFirst("DPoP-Nonce")).isEqualTo(nonce);
		assertThat(second.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(second.getResponse().getHeaders().getFirst("DPoP-Nonce")).isEqualTo(nonce);
		assertThat(this.counters.refreshes()).containsExactly(RefreshOutcome.DPOP_NONCE, RefreshOutcome.ROTATED);
	}

	@Test
	void refreshWhenABearerSessionAndAProofThenItStaysBearer() {
		IssuedRefreshToken login = login("alice");

		MockServerWebExchange exchange = Handlers.handle(dpopEndpoints(this.store, NonceMode.OFF)::refresh,
				refresh(login.value(), proof(this.keys)));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode answer = json(exchange);
		assertThat(answer.get("tokenType").stringValue()).isEqualTo("Bearer");
		assertThat(TestTokens.verify(answer.get("accessToken").stringValue()).keyThumbprint()).isNull();
	}

	@Test
	void logoutWhenBoundSessionAndNoProofThenTheSessionEnds() {
		IssuedRefreshToken login = boundLogin(this.store, "alice");

		MockServerWebExchange exchange = Handlers.handle(dpopEndpoints(this.store, NonceMode.OFF)::logout,
				post("https://gw.example/auth/logout", body(login.value())));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(this.store.sessions("alice").block(Duration.ofSeconds(5))).isEmpty();
	}

}
