package dev.tollgate.routes.endpoint;

import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.TestTokens;
import dev.tollgate.routes.client.BindingSettings;
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

}
