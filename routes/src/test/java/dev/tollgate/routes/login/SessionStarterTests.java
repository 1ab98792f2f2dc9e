package dev.tollgate.routes.login;

import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.TestTokens;
import dev.tollgate.routes.client.BindingSettings;
import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.client.ClientBindingResolver;
import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.routes.http.TokenResponses;
import dev.tollgate.routes.login.UserServiceAnswer.Identity;
import dev.tollgate.routes.observe.LoginOutcome;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.UnavailableStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SessionStarter}: a session for who the user service vouched for, answered as the
 * token response.
 */
class SessionStarterTests {

	private final LoginParts parts = new LoginParts();

	@AfterEach
	void close() {
		this.parts.close();
	}

	private SessionStarter starter(RefreshTokenStore store) {
		ClientAddressResolver clients = new ClientAddressResolver(0);
		return new SessionStarter(store,
				new TokenResponses(TestTokens.ISSUER,
						new CookieSettings(false, "__Secure-tollgate-refresh", "/auth", List.of()), TestTokens.CLOCK),
				this.parts.events, new ClientBindingResolver(BindingSettings.OFF, clients), this.parts.failures);
	}

	private static MockServerWebExchange answeredByTheUserService() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/auth/login"));
		exchange.getResponse().getHeaders().setAccessControlAllowOrigin("https://app.example.com");
		CorsHeaders.remember(exchange);
		exchange.getResponse().setStatusCode(HttpStatus.CREATED);
		exchange.getResponse().getHeaders().add(HttpHeaders.SET_COOKIE, "user-service-session=secret");
		LoginExchange.attempt(exchange, new LoginAttempt("alice", "203.0.113.7"));
		return exchange;
	}

	@Test
	void startWhenTheStoreAnswersThenASessionAndTheTokenResponseInPlaceOfTheUserServicesAnswer() {
		MockServerWebExchange exchange = answeredByTheUserService();

		starter(this.parts.store).start(exchange, new Identity("u-1001", List.of("user"))).block(Duration.ofSeconds(5));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		HttpHeaders headers = exchange.getResponse().getHeaders();
		assertThat(headers.get(HttpHeaders.SET_COOKIE)).isNull();
		assertThat(headers.getAccessControlAllowOrigin()).isEqualTo("https://app.example.com");
		assertThat(headers.getCacheControl()).isEqualTo("no-store");
		JsonNode answer = JsonMapper.shared().readTree(exchange.getResponse().getBodyAsString().block());
		assertThat(this.parts.sessionsOf("u-1001"))
			.containsExactly(answer.get("refreshToken").stringValue().substring(0, 22));
		assertThat(answer.get("accessToken").stringValue()).isNotEmpty();
		assertThat(LoginExchange.outcome(exchange)).isEqualTo(LoginOutcome.SUCCESS);
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.SUCCESS);
	}

	@Test
	void startWhenTheStoreIsUnavailableThen503AndNoSession() {
		RefreshTokenStore down = new UnavailableStore();
		MockServerWebExchange exchange = answeredByTheUserService();

		starter(down).start(exchange, new Identity("u-1001", List.of())).block(Duration.ofSeconds(5));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.SET_COOKIE)).isNull();
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.UNAVAILABLE);
	}

}
