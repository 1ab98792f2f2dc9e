package dev.tollgate.routes.endpoint;

import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicReference;

import dev.tollgate.routes.TestTokens;
import dev.tollgate.test.DpopProofs;
import dev.tollgate.token.autoconfigure.SigningKeysLoader;
import dev.tollgate.token.autoconfigure.TokenProperties;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.SigningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorAccessFilterTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private static final TokenProperties PROPERTIES = new Binder(
			new MapConfigurationPropertySource(Map.of("tollgate.signing.algorithm", "EdDSA")))
		.bindOrCreate("tollgate", TokenProperties.class);

	private static final SigningKeys KEYS = SigningKeysLoader.load(PROPERTIES.signing());

	private static final AccessTokenIssuer ISSUER = new AccessTokenIssuer(PROPERTIES.accessTokenSettings(), KEYS,
			CLOCK);

	private static final String OPERATOR = ISSUER.issue("op-7", List.of("user", "tollgate-operator"), "s-op").value();

	private static final String PLAIN_USER = ISSUER.issue("u-1", List.of("user", "admin"), "s-1").value();

	/** Sessions ended: the access check refuses their tokens. */
	private final Set<String> ended = new CopyOnWriteArraySet<>();

	private final OperatorAccessFilter filter = new OperatorAccessFilter("/actuator/tollgate",
			List.of("tollgate-operator", "sre"),
			new AccessTokenAuthenticator(new AccessTokenVerifier(PROPERTIES.accessTokenSettings(),
					PROPERTIES.validatedTokenCacheSettings(), KEYS, CLOCK), this.ended::contains),
			new ProblemResponseWriter("tollgate"));

	/** The operator the endpoint would see, when the call got through. */
	private final AtomicReference<Operator> reached = new AtomicReference<>();

	private final WebFilterChain chain = (exchange) -> Operator.current()
		.onErrorResume(IllegalStateException.class, (ex) -> Mono.just(new Operator("<none>")))
		.doOnNext(this.reached::set)
		.then();

	private MockServerWebExchange run(MockServerHttpRequest.BaseBuilder<?> request) {
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		StepVerifier.create(this.filter.filter(exchange, this.chain)).verifyComplete();
		return exchange;
	}

	private static MockServerHttpRequest.BaseBuilder<?> call(HttpMethod method, String path, String token) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.method(method, URI.create(path));
		return (token != null) ? request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token) : request;
	}

	private static String body(MockServerWebExchange exchange) {
		return exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5));
	}

	@Test
	void filterWhenNoTokenThen401ChallengeWithoutErrorAndTheEndpointNotReached() {
		for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.DELETE)) {
			MockServerWebExchange exchange = run(call(method, "/actuator/tollgate/sessions/u-1", null));

			assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
			assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
				.isEqualTo("Bearer realm=\"tollgate\"");
			assertThat(exchange.getResponse().getHeaders().getContentType())
				.isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(body(exchange)).contains("\"error\":\"invalid_token\"");
			assertThat(this.reached.get()).isNull();
		}
	}

	@Test
	void filterWhenNotABearerTokenThen401() {
		MockServerWebExchange exchange = run(MockServerHttpRequest.get("/actuator/tollgate/sessions/u-1")
			.header(HttpHeaders.AUTHORIZATION, "Basic b3BzOm9wcw=="));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.reached.get()).isNull();
	}

	@Test
	void filterWhenTokenForgedExpiredOrOfAnEndedSessionThen401InvalidToken() {
		String forged = OPERATOR.substring(0, OPERATOR.length() - 4) + "AAAA";
		String expired = new AccessTokenIssuer(PROPERTIES.accessTokenSettings(), KEYS,
				Clock.fixed(NOW.minus(Duration.ofHours(1)), ZoneOffset.UTC))
			.issue("op-7", List.of("tollgate-operator"), "s-op")
			.value();
		String ended = ISSUER.issue("op-7", List.of("tollgate-operator"), "s-ended").value();
		this.ended.add("s-ended");

		for (String token : List.of(forged, expired, ended)) {
			MockServerWebExchange exchange = run(call(HttpMethod.DELETE, "/actuator/tollgate/sessions/u-1", token));

			assertThat(exchange.getResponse().getStatusCode()).as(token).isEqualTo(HttpStatus.UNAUTHORIZED);
			assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
				.startsWith("Bearer realm=\"tollgate\", error=\"invalid_token\"");
			assertThat(this.reached.get()).isNull();
		}
	}

	@Test
	void filterWhenTokenWithoutAnOperatorRoleThen403InsufficientScope() {
		MockServerWebExchange exchange = run(call(HttpMethod.GET, "/actuator/tollgate/sessions/u-1", PLAIN_USER));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
			.isEqualTo("Bearer realm=\"tollgate\", error=\"insufficient_scope\", "
					+ "error_description=\"operator role required\"");
		assertThat(body(exchange)).contains("\"error\":\"insufficient_scope\"");
		assertThat(this.reached.get()).isNull();
	}

	@Test
	void filterWhenOperatorTokenThenThroughWithTheOperatorForTheEndpoint() {
		MockServerWebExchange exchange = run(call(HttpMethod.DELETE, "/actuator/tollgate/sessions/u-1", OPERATOR));

		assertThat(exchange.getResponse().getStatusCode()).isNull();
		assertThat(this.reached.get()).isEqualTo(new Operator("op-7"));
	}

	@Test
	void filterWhenAnyOfTheOperatorRolesThenThrough() {
		run(call(HttpMethod.GET, "/actuator/tollgate/sessions/u-1",
				ISSUER.issue("sre-1", List.of("sre"), "s-sre").value()));

		assertThat(this.reached.get()).isEqualTo(new Operator("sre-1"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/tollgate", "/actuator/tollgate/", "/actuator/tollgate/other/u-1",
			"/actuator/tollgate;x=1/sessions/u-1", "/actuator/%74ollgate/sessions/u-1",
			"/actuator/tollgate/sessions/u-1;v=2", "/actuator/tollgate/sessions/%75-1" })
	void filterWhenAnySpellingOfTheEndpointWithoutTokenThen401(String path) {
		MockServerWebExchange exchange = run(call(HttpMethod.GET, path, null));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.reached.get()).isNull();
	}

	@Test
	void filterWhenUnderAContextPathThenMatchedWithinTheApplication() {
		MockServerWebExchange exchange = run(
				MockServerHttpRequest.get("/manage/actuator/tollgate/sessions/u-1").contextPath("/manage"));

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/health", "/actuator/health/liveness", "/actuator/prometheus", "/actuator/info",
			"/actuator", "/actuator/tollgatex", "/api/actuator/tollgate/sessions/u-1", "/auth/sessions" })
	void filterWhenAnotherPathThenPassedUntouchedWithoutAnOperator(String path) {
		MockServerWebExchange exchange = run(call(HttpMethod.GET, path, null));

		assertThat(exchange.getResponse().getStatusCode()).isNull();
		assertThat(this.reached.get()).isEqualTo(new Operator("<none>"));
	}

	// ---- DPoP-bound access tokens (RFC 9449 §7)

	private static final String OPERATOR_SESSIONS = "https://gw.example:8081/actuator/tollgate/sessions/u-1";

	@Test
	void filterWhenADpopBoundOperatorTokenWithItsProofThenReachedAndWhenSentAsBearerThen401() {
		KeyPair keys = DpopProofs.es256();
		String token = TestTokens.boundAccessToken("op-7", "s-op", DpopProofs.jkt(keys.getPublic()),
				"tollgate-operator");
		OperatorAccessFilter dpopFilter = new OperatorAccessFilter("/actuator/tollgate", List.of("tollgate-operator"),
				TestTokens.dpopAuthenticator(this.ended::contains), new ProblemResponseWriter("tollgate"));

		MockServerWebExchange asBearer = MockServerWebExchange
			.from(MockServerHttpRequest.get(OPERATOR_SESSIONS).header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
		StepVerifier.create(dpopFilter.filter(asBearer, this.chain)).verifyComplete();
		assertThat(asBearer.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.reached.get()).isNull();

		MockServerWebExchange withProof = MockServerWebExchange.from(MockServerHttpRequest.get(OPERATOR_SESSIONS)
			.header(HttpHeaders.AUTHORIZATION, "DPoP " + token)
			.header("DPoP", DpopProofs.proof(keys).htm("GET").htu(OPERATOR_SESSIONS).ath(token).sign()));
		StepVerifier.create(dpopFilter.filter(withProof, this.chain)).verifyComplete();
		assertThat(withProof.getResponse().getStatusCode()).isNull();
		assertThat(this.reached.get()).isEqualTo(new Operator("op-7"));
	}

	@Test
	void filterWhenADpopBoundOperatorTokenWithoutAProofThen401AndNotReached() {
		KeyPair keys = DpopProofs.es256();
		String token = TestTokens.boundAccessToken("op-7", "s-op", DpopProofs.jkt(keys.getPublic()),
				"tollgate-operator");
		OperatorAccessFilter dpopFilter = new OperatorAccessFilter("/actuator/tollgate", List.of("tollgate-operator"),
				TestTokens.dpopAuthenticator(this.ended::contains), new ProblemResponseWriter("tollgate"));
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get(OPERATOR_SESSIONS).header(HttpHeaders.AUTHORIZATION, "DPoP " + token));

		StepVerifier.create(dpopFilter.filter(exchange, this.chain)).verifyComplete();

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(body(exchange)).contains("\"error\":\"invalid_dpop_proof\"");
		assertThat(this.reached.get()).isNull();
	}

}
