package dev.tollgate.token.error;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.token.observe.TokenRejection;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemResponseWriterTests {

	private final ProblemResponseWriter writer = new ProblemResponseWriter("tollgate");

	private MockServerWebExchange write(String path, TollgateError error) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(path));
		StepVerifier.create(this.writer.write(exchange, error)).verifyComplete();
		return exchange;
	}

	private static Map<String, Object> json(MockServerWebExchange exchange) throws Exception {
		String body = exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5));
		return new ObjectMapper().readValue(body, new TypeReference<Map<String, Object>>() {
		});
	}

	@Test
	void escapeWhenQuotesBackslashesAndControlCharactersThenEscaped() {
		assertThat(ProblemResponseWriter.escape("a\"b\\c\nd\re\tf\u0000g\u001fh"))
			.isEqualTo("a\\\"b\\\\c\\u000ad\\u000de\\u0009f\\u0000g\\u001fh");
	}

	@Test
	void escapeWhenPlainOrNonAsciiThenUnchanged() {
		assertThat(ProblemResponseWriter.escape("/orders/été ✓")).isEqualTo("/orders/été ✓");
	}

	@Test
	void escapeWhenInjectionAttemptThenStaysOneString() throws Exception {
		String hostile = "\",\"error\":\"none\",\"x\":\"\\";
		Map<String, Object> parsed = new ObjectMapper()
			.readValue("{\"v\":\"" + ProblemResponseWriter.escape(hostile) + "\"}", new TypeReference<>() {
			});
		assertThat(parsed).containsOnlyKeys("v");
		assertThat(parsed.get("v")).isEqualTo(hostile);
	}

	@Test
	void writeWhenBearerErrorThenProblemJsonAndChallenge() throws Exception {
		MockServerWebExchange exchange = write("/orders/1",
				TollgateErrors.invalidToken(TokenRejection.EXPIRED, "token expired"));
		HttpHeaders headers = exchange.getResponse().getHeaders();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(headers.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(headers.getCacheControl()).isEqualTo("no-store");
		assertThat(headers.get(HttpHeaders.WWW_AUTHENTICATE))
			.containsExactly("Bearer realm=\"tollgate\", error=\"invalid_token\", error_description=\"token expired\"");
		assertThat(json(exchange)).containsEntry("type", "about:blank")
			.containsEntry("title", "Unauthorized")
			.containsEntry("status", 401)
			.containsEntry("detail", "token expired")
			.containsEntry("instance", "/orders/1")
			.containsEntry("error", "invalid_token");
		assertThat(headers.getContentLength())
			.isEqualTo(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)).getBytes().length);
	}

	@Test
	void writeWhenTooManyAttemptsThen429WithRetryAfterAndNoChallenge() throws Exception {
		MockServerWebExchange exchange = write("/auth/login", TollgateErrors.tooManyAttempts(61));
		HttpHeaders headers = exchange.getResponse().getHeaders();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(headers.get(HttpHeaders.RETRY_AFTER)).containsExactly("61");
		assertThat(headers.containsHeader(HttpHeaders.WWW_AUTHENTICATE)).isFalse();
		assertThat(json(exchange)).containsEntry("status", 429).containsEntry("error", "too_many_attempts");
		assertThat(TollgateErrors.tooManyAttempts(0).retryAfterSeconds()).as("never Retry-After: 0").isEqualTo(1);
		assertThat(write("/", TollgateErrors.invalidCredentials()).getResponse()
			.getHeaders()
			.containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
	}

	@Test
	void writeWhenMissingTokenThenChallengeWithoutErrorAttribute() throws Exception {
		MockServerWebExchange exchange = write("/", TollgateErrors.missingToken());
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE))
			.containsExactly("Bearer realm=\"tollgate\"");
		assertThat(json(exchange)).containsEntry("error", "invalid_token").containsEntry("status", 401);
	}

	@Test
	void writeWhenPlainErrorThenNoChallenge() throws Exception {
		MockServerWebExchange exchange = write("/auth/refresh", TollgateErrors.invalidGrant("refresh token reused"));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE)).isNull();
		assertThat(json(exchange)).containsEntry("error", "invalid_grant")
			.containsEntry("detail", "refresh token reused");
	}

	@Test
	void writeWhenPathHasQuoteThenBodyStaysValidJson() throws Exception {
		MockServerWebExchange exchange = write("/a\"b\\c", TollgateErrors.invalidRequest("bad body"));
		assertThat(json(exchange).get("instance")).asString().startsWith("/a").doesNotContain("\"b\\c\"");
		assertThat(json(exchange)).containsEntry("error", "invalid_request").containsEntry("status", 400);
	}

	@Test
	void writeWhenQueryCarriesTokenThenBodyOmitsIt() throws Exception {
		MockServerWebExchange exchange = write("/orders?access_token=secret-token",
				TollgateErrors.invalidToken(TokenRejection.EXPIRED, "malformed token"));
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.doesNotContain("secret-token");
		assertThat(json(exchange)).containsEntry("instance", "/orders");
	}

	@Test
	void writeWhenResponseCommittedThenLeavesItAlone() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
		exchange.getResponse().setStatusCode(HttpStatus.OK);
		StepVerifier.create(exchange.getResponse().setComplete()).verifyComplete();
		StepVerifier.create(this.writer.write(exchange, TollgateErrors.missingToken())).verifyComplete();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE)).isNull();
	}

	@Test
	void writeWhenDpopProofInvalidThenDpopChallengeWithAlgs() throws Exception {
		ProblemResponseWriter dpop = new ProblemResponseWriter("tollgate", "ES256 EdDSA RS256 PS256");
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/orders/1"));
		StepVerifier
			.create(dpop.write(exchange, TollgateErrors.invalidDpopProof("DPoP proof expired", ProofUse.RESOURCE)))
			.verifyComplete();
		HttpHeaders headers = exchange.getResponse().getHeaders();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(headers.get(HttpHeaders.WWW_AUTHENTICATE)).containsExactly(
				"DPoP algs=\"ES256 EdDSA RS256 PS256\", error=\"invalid_dpop_proof\", error_description=\"DPoP proof expired\"");
		assertThat(headers.containsHeader("DPoP-Nonce")).isFalse();
		assertThat(json(exchange)).containsEntry("error", "invalid_dpop_proof").containsEntry("status", 401);
	}

	@Test
	void writeWhenUseDpopNonceThenNonceHeaderAndAt400NoChallenge() throws Exception {
		MockServerWebExchange resource = write("/orders/1", TollgateErrors.useDpopNonce(ProofUse.RESOURCE, "n-1"));
		assertThat(resource.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(resource.getResponse().getHeaders().get("DPoP-Nonce")).containsExactly("n-1");
		assertThat(resource.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("DPoP algs=")
			.contains("error=\"use_dpop_nonce\"");
		MockServerWebExchange login = write("/auth/login", TollgateErrors.useDpopNonce(ProofUse.TOKEN_ENDPOINT, "n-2"));
		assertThat(login.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(login.getResponse().getHeaders().get("DPoP-Nonce")).containsExactly("n-2");
		assertThat(login.getResponse().getHeaders().containsHeader(HttpHeaders.WWW_AUTHENTICATE)).isFalse();
		assertThat(json(login)).containsEntry("error", "use_dpop_nonce").containsEntry("status", 400);
	}

	@Test
	void writeWhenMissingTokenAndDpopOnThenTheContractsBearerChallengeAlone() {
		ProblemResponseWriter dpop = new ProblemResponseWriter("tollgate", "ES256 EdDSA");
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/orders/1"));
		StepVerifier.create(dpop.write(exchange, TollgateErrors.missingToken())).verifyComplete();
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE))
			.containsExactly("Bearer realm=\"tollgate\"");
	}

	@Test
	void writeWhenMissingTokenWithDpopChallengeThenTheDpopChallengeAloneWithoutAnError() {
		ProblemResponseWriter dpop = new ProblemResponseWriter("tollgate", "ES256 EdDSA");
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/orders/1"));
		StepVerifier.create(dpop.write(exchange, TollgateErrors.missingToken().withDpopChallenge())).verifyComplete();
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE))
			.containsExactly("DPoP algs=\"ES256 EdDSA\"");
	}

	@Test
	void writeWhenBearerErrorAndDpopOnThenBearerChallengeOnly() {
		ProblemResponseWriter dpop = new ProblemResponseWriter("tollgate", "ES256");
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/orders/1"));
		StepVerifier.create(dpop.write(exchange, TollgateErrors.invalidToken(TokenRejection.EXPIRED, "token expired")))
			.verifyComplete();
		assertThat(exchange.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE))
			.containsExactly("Bearer realm=\"tollgate\", error=\"invalid_token\", error_description=\"token expired\"");
	}

}
