package dev.tollgate.routes.login;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tollgate.routes.TestTokens;
import dev.tollgate.routes.client.BindingSettings;
import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.client.ClientBindingResolver;
import dev.tollgate.routes.dpop.TokenEndpointProof;
import dev.tollgate.routes.http.BodyReader;
import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.routes.http.TokenResponses;
import dev.tollgate.routes.observe.LoginOutcome;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.StoreUnavailableException;
import dev.tollgate.test.DpopProofs;
import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.dpop.NonceMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code IssueTokens} filter as a route runs it, its parts together, on a memory
 * store.
 */
class IssueTokensFilterTests {

	private static final String CREDENTIALS = "{\"username\":\"alice\",\"password\":\"s3cret\"}";

	private final LoginParts parts = new LoginParts();

	/** One failure locks a (username, address) pair for a minute. */
	private final LoginGuard guard = new InMemoryLoginGuard(new LoginLimits(1, 10, Duration.ofMinutes(15).toMillis(),
			Duration.ofMinutes(1).toMillis(), Duration.ofMinutes(15).toMillis(), Duration.ofSeconds(10).toMillis()),
			TestTokens.CLOCK);

	private final GatewayFilter filter = issueTokens();

	private final AtomicInteger userServiceCalls = new AtomicInteger();

	@AfterEach
	void close() {
		this.parts.close();
	}

	private GatewayFilter issueTokens() {
		return issueTokens(TokenEndpointProof.OFF);
	}

	private GatewayFilter issueTokens(TokenEndpointProof proof) {
		CookieSettings cookie = new CookieSettings(false, "__Secure-tollgate-refresh", "/auth", List.of());
		ClientAddressResolver clients = new ClientAddressResolver(0);
		IssueTokensGatewayFilterFactory factory = new IssueTokensGatewayFilterFactory(this.parts.store,
				new TokenResponses(TestTokens.ISSUER, cookie, TestTokens.CLOCK), TestTokens.WRITER, this.parts.events,
				clients, new BodyReader(Duration.ofSeconds(1)), new LoginSettings(Duration.ofSeconds(5), 1024), cookie,
				this.guard, new ClientBindingResolver(BindingSettings.OFF, clients), proof);
		return factory.apply(new IssueTokensGatewayFilterFactory.Config());
	}

	private MockServerWebExchange login(String body, GatewayFilterChain userService) {
		return login(this.filter, MockServerHttpRequest.post("/auth/login"), body, userService);
	}

	private MockServerWebExchange login(GatewayFilter filter, MockServerHttpRequest.BodyBuilder request, String body,
			GatewayFilterChain userService) {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(request.contentType(MediaType.APPLICATION_JSON).body(body));
		filter.filter(exchange, (forwarded) -> {
			this.userServiceCalls.incrementAndGet();
			return userService.filter(forwarded);
		}).block(Duration.ofSeconds(5));
		return exchange;
	}

	@Test
	void filterWhenTheUserServiceVouchesThenTheTokenResponseAndASession() {
		MockServerWebExchange exchange = login(CREDENTIALS,
				LoginParts.userService(HttpStatus.OK, "{\"userId\":\"u-1001\",\"roles\":[\"user\"]}"));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.SERVER)).isNull();
		JsonNode answer = JsonMapper.shared().readTree(exchange.getResponse().getBodyAsString().block());
		assertThat(answer.get("tokenType").stringValue()).isEqualTo("Bearer");
		assertThat(this.parts.sessionsOf("u-1001"))
			.containsExactly(answer.get("refreshToken").stringValue().substring(0, 22));
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.SUCCESS);
	}

	@Test
	void filterWhenTheBodyIsLargerThanAllowedThen413AndTheUserServiceNeverCalled() {
		MockServerWebExchange exchange = login("{\"username\":\"" + "a".repeat(2000) + "\"}",
				LoginParts.userService(HttpStatus.OK, "{\"userId\":\"u-1001\"}"));

		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(413);
		assertThat(this.userServiceCalls).hasValue(0);
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.REJECTED);
	}

	@Test
	void filterWhenTheUsernameFailedFromThisAddressThenLockedWithoutCallingTheUserService() {
		login(CREDENTIALS, LoginParts.userService(HttpStatus.UNAUTHORIZED, "{}"));

		MockServerWebExchange locked = login(CREDENTIALS,
				LoginParts.userService(HttpStatus.OK, "{\"userId\":\"u-1001\"}"));

		assertThat(locked.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(locked.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("60");
		assertThat(this.userServiceCalls).hasValue(1);
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.INVALID_CREDENTIALS, LoginOutcome.LOCKED);
	}

	@Test
	void filterWhenAnotherUsernameFromTheSameAddressThenNotLocked() {
		login(CREDENTIALS, LoginParts.userService(HttpStatus.UNAUTHORIZED, "{}"));

		MockServerWebExchange bob = login("{\"username\":\"bob\",\"password\":\"x\"}",
				LoginParts.userService(HttpStatus.OK, "{\"userId\":\"u-2002\"}"));

		assertThat(bob.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void filterWhenTheAnswerNamesNoUsableUserThenBadGatewayAndNoSession() {
		MockServerWebExchange exchange = login(CREDENTIALS,
				LoginParts.userService(HttpStatus.OK, "{\"userId\":\"u 1001\"}"));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(this.parts.sessionsOf("u 1001")).isEmpty();
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.UPSTREAM_ERROR);
	}

	// ---- DPoP (RFC 9449 §5)

	private static final String LOGIN = "https://gw.example/auth/login";

	private final KeyPair keys = DpopProofs.es256();

	private final DpopReplayGuard replay = TestTokens.localReplayGuard();

	private GatewayFilter dpop(DpopMode mode, NonceMode nonce) {
		return issueTokens(TestTokens.tokenEndpointProof(TestTokens.dpop(mode, nonce), this.replay));
	}

	private MockServerWebExchange dpopLogin(GatewayFilter filter, String... proofs) {
		return login(filter, MockServerHttpRequest.post(LOGIN).header("DPoP", proofs), CREDENTIALS,
				LoginParts.userService(HttpStatus.OK, "{\"userId\":\"u-1001\",\"roles\":[\"user\"]}"));
	}

	private String proof() {
		return DpopProofs.proof(this.keys).htm("POST").htu(LOGIN).sign();
	}

	private static JsonNode answer(MockServerWebExchange exchange) {
		return JsonMapper.shared().readTree(exchange.getResponse().getBodyAsString().block());
	}

	@Test
	void filterWhenAValidProofThenDpopTokensAndASessionBoundToTheKey() {
		MockServerWebExchange exchange = dpopLogin(dpop(DpopMode.OPTIONAL, NonceMode.OFF), proof());

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		JsonNode answer = answer(exchange);
		assertThat(answer.get("tokenType").stringValue()).isEqualTo("DPoP");
		String jkt = DpopProofs.jkt(this.keys.getPublic());
		assertThat(TestTokens.verify(answer.get("accessToken").stringValue()).keyThumbprint()).isEqualTo(jkt);
		// the refresh token is bound too: the store refuses it without the key
		String refreshToken = answer.get("refreshToken").stringValue();
		assertThat(this.parts.store.rotate(refreshToken).block(Duration.ofSeconds(5)).outcome())
			.isEqualTo(Rotation.Outcome.KEY_MISMATCH);
		assertThat(
				this.parts.store.rotate(refreshToken, ClientBinding.NONE, jkt).block(Duration.ofSeconds(5)).outcome())
			.isEqualTo(Rotation.Outcome.ROTATED);
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.SUCCESS);
	}

	@Test
	void filterWhenOptionalAndNoProofThenBearerTokens() {
		MockServerWebExchange exchange = dpopLogin(dpop(DpopMode.OPTIONAL, NonceMode.OFF));

		JsonNode answer = answer(exchange);
		assertThat(answer.get("tokenType").stringValue()).isEqualTo("Bearer");
		assertThat(TestTokens.verify(answer.get("accessToken").stringValue()).keyThumbprint()).isNull();
	}

	@Test
	void filterWhenModeOffThenTheProofIsIgnoredAndBearerTokens() {
		MockServerWebExchange exchange = dpopLogin(dpop(DpopMode.OFF, NonceMode.OFF), "not-a-proof");

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(answer(exchange).get("tokenType").stringValue()).isEqualTo("Bearer");
	}

	@Test
	void filterWhenRequiredAndNoProofThen400WithoutCallingTheUserServiceOrStartingASession() {
		MockServerWebExchange exchange = dpopLogin(dpop(DpopMode.REQUIRED, NonceMode.OFF));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(answer(exchange).get("error").stringValue()).isEqualTo("invalid_dpop_proof");
		assertThat(this.userServiceCalls).hasValue(0);
		assertThat(this.parts.sessionsOf("u-1001")).isEmpty();
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.DPOP_PROOF_REQUIRED);
	}

	@Test
	void filterWhenTheProofIsForAnotherUrlThen400WithoutCallingTheUserService() {
		String elsewhere = DpopProofs.proof(this.keys).htm("POST").htu("https://gw.example/auth/refresh").sign();

		MockServerWebExchange exchange = dpopLogin(dpop(DpopMode.OPTIONAL, NonceMode.OFF), elsewhere);

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isNull();
		assertThat(answer(exchange).get("error").stringValue()).isEqualTo("invalid_dpop_proof");
		assertThat(this.userServiceCalls).hasValue(0);
		assertThat(this.parts.sessionsOf("u-1001")).isEmpty();
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.DPOP_PROOF_INVALID);
	}

	@Test
	void filterWhenTheProofIsReplayedThen400AndOnlyTheFirstLoginReachesTheUserService() {
		GatewayFilter filter = dpop(DpopMode.OPTIONAL, NonceMode.OFF);
		String proof = proof();
		dpopLogin(filter, proof);

		MockServerWebExchange replayed = dpopLogin(filter, proof);

		assertThat(replayed.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(answer(replayed).get("error").stringValue()).isEqualTo("invalid_dpop_proof");
		assertThat(this.userServiceCalls).hasValue(1);
		assertThat(this.parts.sessionsOf("u-1001")).hasSize(1);
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.SUCCESS, LoginOutcome.DPOP_REPLAY);
	}

	@Test
	void filterWhenNoncesAtTheTokenEndpointThenUseDpopNonceFirstAndTheNonceOnTheTokenResponse() {
		DpopSettings settings = TestTokens.dpop(DpopMode.OPTIONAL, NonceMode.TOKEN_ENDPOINT);
		GatewayFilter filter = issueTokens(TestTokens.tokenEndpointProof(settings, this.replay));
		String nonce = TestTokens.nonces(settings).current();

		MockServerWebExchange first = dpopLogin(filter, proof());
		MockServerWebExchange second = dpopLogin(filter,
				DpopProofs.proof(this.keys).htm("POST").htu(LOGIN).nonce(nonce).sign());

		assertThat(first.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(answer(first).get("error").stringValue()).isEqualTo("use_dpop_nonce");
		assertThat(first.getResponse().getHeaders().getFirst("DPoP-Nonce")).isEqualTo(nonce);
		assertThat(second.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(second.getResponse().getHeaders().getFirst("DPoP-Nonce")).isEqualTo(nonce);
		assertThat(this.userServiceCalls).hasValue(1);
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.DPOP_NONCE, LoginOutcome.SUCCESS);
	}

	@Test
	void filterWhenTheReplayCheckCannotReachTheStoreThen503WithoutCallingTheUserService() {
		GatewayFilter filter = issueTokens(
				TestTokens.tokenEndpointProof(TestTokens.dpop(DpopMode.OPTIONAL, NonceMode.OFF),
						(checked) -> Mono.error(new StoreUnavailableException("down", null))));

		MockServerWebExchange exchange = dpopLogin(filter, proof());

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(this.userServiceCalls).hasValue(0);
		assertThat(this.parts.counters.logins()).containsExactly(LoginOutcome.UNAVAILABLE);
	}

	@Test
	void toStringWhenConfiguredThenTheFieldsItReads() {
		assertThat(this.filter).hasToString("IssueTokens[userIdField=userId, rolesField=roles]");
	}

}
