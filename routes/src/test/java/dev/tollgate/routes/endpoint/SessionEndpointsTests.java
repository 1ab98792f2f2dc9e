package dev.tollgate.routes.endpoint;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import dev.tollgate.routes.TestTokens;
import dev.tollgate.routes.client.BindingSettings;
import dev.tollgate.routes.session.IssuedRefreshToken;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.memory.InMemoryRefreshTokenStore;
import dev.tollgate.test.DpopProofs;
import dev.tollgate.test.MutableClock;
import dev.tollgate.token.dpop.NonceMode;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SessionEndpoints}: a user's view of their own sessions, with an access token.
 */
class SessionEndpointsTests {

	private final MutableClock clock = MutableClock.startingNow();

	private final RefreshTokenStore store = new InMemoryRefreshTokenStore(new RefreshTokenCodec(),
			new SessionSettings(Duration.ofDays(7), Duration.ofDays(30), Duration.ZERO, 50, BindingSettings.OFF),
			this.clock, StoreTimer.NONE, (session, reason) -> this.ended.add(session.id()));

	/**
	 * Sessions ended: the access check refuses their tokens, as EndedSessions makes it.
	 */
	private final Set<String> ended = new CopyOnWriteArraySet<>();

	private final SessionEndpoints endpoints = new SessionEndpoints(TestTokens.authenticator(this.ended::contains),
			this.store, TestTokens.WRITER);

	private IssuedRefreshToken login(String userId) {
		this.clock.advance(Duration.ofSeconds(1));
		return this.store.create(userId, List.of("user")).block(Duration.ofSeconds(5));
	}

	private static MockServerWebExchange call(MockServerHttpRequest.BaseBuilder<?> request,
			IssuedRefreshToken session) {
		if (session != null) {
			request.header(HttpHeaders.AUTHORIZATION,
					"Bearer " + TestTokens.accessToken(session.session().userId(), session.session().id(), "user"));
		}
		return MockServerWebExchange.from(request);
	}

	@Test
	void listWhenValidAccessTokenThenTheUsersLiveSessionsTheCurrentOneMarked() {
		IssuedRefreshToken phone = login("alice");
		IssuedRefreshToken laptop = login("alice");
		login("bob");

		MockServerWebExchange exchange = Handlers.handle(this.endpoints::list,
				call(MockServerHttpRequest.get("/auth/sessions"), laptop));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(exchange.getResponse().getHeaders().getCacheControl()).isEqualTo("no-store");
		JsonNode sessions = JsonMapper.shared().readTree(Handlers.body(exchange)).get("sessions");
		assertThat(sessions).hasSize(2);
		assertThat(sessions.get(0).get("id").stringValue()).isEqualTo(phone.session().id());
		assertThat(sessions.get(0).get("current").booleanValue()).isFalse();
		assertThat(sessions.get(1).get("id").stringValue()).isEqualTo(laptop.session().id());
		assertThat(sessions.get(1).get("current").booleanValue()).isTrue();
		assertThat(sessions.get(1).has("createdAt") && sessions.get(1).has("lastRefreshedAt")
				&& sessions.get(1).has("expiresAt"))
			.isTrue();
	}

	@Test
	void listWhenNoAccessTokenThen401WithTheBearerChallenge() {
		MockServerWebExchange exchange = Handlers.handle(this.endpoints::list,
				call(MockServerHttpRequest.get("/auth/sessions"), null));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
			.isEqualTo("Bearer realm=\"tollgate\"");
	}

	@Test
	void endWhenOneOfTheUsersOwnSessionsThen204AndItEnds() {
		IssuedRefreshToken phone = login("alice");
		IssuedRefreshToken laptop = login("alice");

		MockServerWebExchange exchange = Handlers.handle(this.endpoints::end,
				call(MockServerHttpRequest.delete("/auth/sessions/" + phone.session().id()), laptop),
				Map.of("id", phone.session().id()));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(this.ended).containsExactly(phone.session().id());
		assertThat(this.store.sessions("alice").block(Duration.ofSeconds(5))).singleElement()
			.extracting((session) -> session.id())
			.isEqualTo(laptop.session().id());
	}

	@Test
	void endWhenSomeoneElsesSessionThen404AsForNoneAndItLivesOn() {
		IssuedRefreshToken bobs = login("bob");
		IssuedRefreshToken alices = login("alice");

		MockServerWebExchange exchange = Handlers.handle(this.endpoints::end,
				call(MockServerHttpRequest.delete("/auth/sessions/" + bobs.session().id()), alices),
				Map.of("id", bobs.session().id()));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(this.ended).isEmpty();
		assertThat(this.store.sessions("bob").block(Duration.ofSeconds(5))).hasSize(1);
	}

	@Test
	void listWhenTheAccessTokensSessionHasEndedThen401InvalidToken() {
		IssuedRefreshToken phone = login("alice");
		this.ended.add(phone.session().id());

		MockServerWebExchange exchange = Handlers.handle(this.endpoints::list,
				call(MockServerHttpRequest.get("/auth/sessions"), phone));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
			.contains("error=\"invalid_token\"");
	}

	// ---- DPoP-bound access tokens (RFC 9449 §7)

	private static final String SESSIONS = "https://gw.example/auth/sessions";

	private final KeyPair keys = DpopProofs.es256();

	private final SessionEndpoints dpopEndpoints = new SessionEndpoints(
			TestTokens.dpopAuthenticator(this.ended::contains), this.store, TestTokens.WRITER);

	private String boundToken(IssuedRefreshToken session) {
		return TestTokens.boundAccessToken(session.session().userId(), session.session().id(),
				DpopProofs.jkt(this.keys.getPublic()), "user");
	}

	@Test
	void listWhenADpopBoundTokenWithItsProofThenTheSessions() {
		IssuedRefreshToken phone = login("alice");
		String token = boundToken(phone);

		MockServerWebExchange exchange = Handlers.handle(this.dpopEndpoints::list,
				MockServerWebExchange.from(MockServerHttpRequest.get(SESSIONS)
					.header(HttpHeaders.AUTHORIZATION, "DPoP " + token)
					.header("DPoP", DpopProofs.proof(this.keys).htm("GET").htu(SESSIONS).ath(token).sign())));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(JsonMapper.shared().readTree(Handlers.body(exchange)).get("sessions")).hasSize(1);
	}

	@Test
	void listAndEndWhenADpopBoundTokenAndNoncesOnThenAnsweredWithTheCurrentNonce() {
		AccessTokenAuthenticator authenticator = TestTokens.dpopAuthenticator(this.ended::contains,
				NonceMode.TOKEN_ENDPOINT);
		SessionEndpoints endpoints = new SessionEndpoints(authenticator, this.store, TestTokens.WRITER);
		IssuedRefreshToken phone = login("alice");
		String token = boundToken(phone);

		MockServerWebExchange listed = Handlers.handle(endpoints::list,
				MockServerWebExchange.from(MockServerHttpRequest.get(SESSIONS)
					.header(HttpHeaders.AUTHORIZATION, "DPoP " + token)
					.header("DPoP", DpopProofs.proof(this.keys).htm("GET").htu(SESSIONS).ath(token).sign())));
		String path = SESSIONS + "/" + phone.session().id();
		MockServerWebExchange ended = Handlers.handle(endpoints::end,
				MockServerWebExchange.from(MockServerHttpRequest.delete(path)
					.header(HttpHeaders.AUTHORIZATION, "DPoP " + token)
					.header("DPoP", DpopProofs.proof(this.keys).htm("DELETE").htu(path).ath(token).sign())),
				Map.of("id", phone.session().id()));

		assertThat(listed.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(listed.getResponse().getHeaders().getFirst("DPoP-Nonce")).isEqualTo(authenticator.responseNonce())
			.isNotBlank();
		assertThat(ended.getResponse().getStatusCode()).isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(ended.getResponse().getHeaders().getFirst("DPoP-Nonce")).isEqualTo(authenticator.responseNonce());
	}

	@Test
	void listWhenADpopBoundTokenSentAsBearerThen401AndNothingListed() {
		IssuedRefreshToken phone = login("alice");

		MockServerWebExchange exchange = Handlers.handle(this.dpopEndpoints::list, MockServerWebExchange.from(
				MockServerHttpRequest.get(SESSIONS).header(HttpHeaders.AUTHORIZATION, "Bearer " + boundToken(phone))));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("DPoP ")
			.contains("error=\"invalid_token\"");
		assertThat(Handlers.body(exchange)).doesNotContain(phone.session().id());
	}

	@Test
	void endWhenADpopBoundTokenWithAProofByAnotherKeyThen401AndNothingEnds() {
		IssuedRefreshToken phone = login("alice");
		IssuedRefreshToken laptop = login("alice");
		String token = boundToken(laptop);
		String path = SESSIONS + "/" + phone.session().id();

		MockServerWebExchange exchange = Handlers.handle(this.dpopEndpoints::end,
				MockServerWebExchange.from(MockServerHttpRequest.delete(path)
					.header(HttpHeaders.AUTHORIZATION, "DPoP " + token)
					.header("DPoP", DpopProofs.proof(DpopProofs.es256()).htm("DELETE").htu(path).ath(token).sign())),
				Map.of("id", phone.session().id()));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(JsonMapper.shared().readTree(Handlers.body(exchange)).get("error").stringValue())
			.isEqualTo("invalid_dpop_proof");
		assertThat(this.ended).isEmpty();
	}

}
